package dev.gil.multiprocess.internal.wire;

import dev.gil.multiprocess.Connection;
import java.io.ObjectStreamException;

/**
 * Moves a {@link Connection} to another process without Java serialization, for {@link LambdaByReference}: what
 * crosses is what {@code Connection}'s own serialized form carries (where to meet the peer, the token, the
 * direction), as small values. {@code Connection} keeps those private and hands this class an {@link Access} in its
 * static initialiser, the way the JDK's {@code SharedSecrets} work.
 */
public final class ConnectionTransfers {
    /** What {@code Connection} lets this package do with its ends. */
    public interface Access {
        /**
         * Moves an end out of this process, as its serialization does; it becomes unusable here.
         *
         * @return the transfer: strings and booleans only
         * @throws ObjectStreamException if the end was used here, closed, or already sent elsewhere
         */
        Object[] moveOut(Connection connection) throws ObjectStreamException;

        /** Makes the end described by {@link #moveOut} in this process. */
        Connection moveIn(Object[] transfer) throws ObjectStreamException;
    }

    private static volatile Access access;

    private ConnectionTransfers() {}

    /** Called once, by {@code Connection}'s static initialiser. */
    public static void register(Access connectionAccess) {
        access = connectionAccess;
    }

    static Access access() {
        Access registered = access;
        if (registered == null) {
            try { // initialises Connection, which registers
                Class.forName(Connection.class.getName(), true, Connection.class.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
            registered = access;
        }
        return registered;
    }
}
