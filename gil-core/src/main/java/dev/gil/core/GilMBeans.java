package dev.gil.core;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Registers a lock's {@link GilMXBean} with the platform MBean server, and unregisters it on close. */
final class GilMBeans {
    private GilMBeans() {}

    static GlobalInterpreterLock.Registration register(GlobalInterpreterLock lock) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName objectName = ObjectName.getInstance(
                    "dev.gil:type=GlobalInterpreterLock,name=" + ObjectName.quote(lock.name()));
            server.registerMBean(new View(lock), objectName);
            return new Registered(server, objectName);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("an MBean for a lock named '" + lock.name() + "' is already registered: "
                    + "give each lock its own name", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the MBean of the lock '" + lock.name() + "': " + e, e);
        }
    }

    private static final class Registered implements GlobalInterpreterLock.Registration {
        private final MBeanServer server;
        private final ObjectName objectName;
        private boolean closed;

        Registered(MBeanServer server, ObjectName objectName) {
            this.server = server;
            this.objectName = objectName;
        }

        @Override
        public ObjectName objectName() {
            return objectName;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                try {
                    server.unregisterMBean(objectName);
                } catch (JMException alreadyGone) {
                    // unregistered by someone else: nothing left to do
                }
            }
        }
    }

    /** Every attribute is a fresh snapshot of the lock. */
    private static final class View implements GilMXBean {
        private final GlobalInterpreterLock lock;

        View(GlobalInterpreterLock lock) {
            this.lock = lock;
        }

        @Override
        public String getName() {
            return lock.name();
        }

        @Override
        public String getScheduler() {
            return lock.scheduler().toString();
        }

        @Override
        public String getHolder() {
            return lock.holderName();
        }

        @Override
        public int getQueueLength() {
            return lock.getQueueLength();
        }

        @Override
        public long getAcquisitions() {
            return lock.stats().acquisitions();
        }

        @Override
        public long getContendedAcquisitions() {
            return lock.stats().contendedAcquisitions();
        }

        @Override
        public long getSwitches() {
            return lock.stats().switches();
        }

        @Override
        public long getForcedSwitches() {
            return lock.stats().forcedSwitches();
        }

        @Override
        public long getDropRequests() {
            return lock.stats().dropRequests();
        }

        @Override
        public double getLockLoad() {
            return lock.stats().lockLoad();
        }

        @Override
        public double getFairnessIndex() {
            return lock.stats().fairnessIndex();
        }
    }
}
