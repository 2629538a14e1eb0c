package dev.gil.cluster;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.config.Config;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.RetryableException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.gil.cluster.internal.ChunkTask;
import dev.gil.cluster.internal.ClusterMember;
import dev.gil.cluster.internal.Configs;
import dev.gil.cluster.internal.MemberWatch;
import dev.gil.multiprocess.AbstractTaskPool;
import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.TaskFailedException;
import dev.gil.multiprocess.TaskPool;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TaskPool} API on a Hazelcast cluster: when a {@code ProcessPool} no longer fits one machine, change the
 * line that creates the pool, not the code that uses it (as {@code ray.util.multiprocessing.Pool} does for Python).
 *
 * <pre>{@code
 * TaskPool onThisMachine = ProcessPool.create(2);                          // one machine
 * ClusterPool cluster = ClusterPool.builder().localMembers(2).build();      // a 2-member cluster on this machine
 * TaskPool joined = ClusterPool.builder()                                   // an existing cluster, from any JVM:
 *         .join(cluster.addresses()).clusterName(cluster.clusterName())     // "10.0.0.5:5701", "prod"
 *         .build();
 * List<Integer> squares = joined.map(x -> x * x, inputs);                   // the same calls on each
 * }</pre>
 *
 * <p><b>Where work runs.</b> By default ({@link #create()}) in an embedded member in this JVM. With
 * {@link Builder#localMembers(int)} in that many member JVMs started on this machine (this JVM joins as a client);
 * with {@link Builder#join(String...)} on an existing cluster (as a client). Inputs go in chunks (by default about four
 * per member), each a task of Hazelcast's {@code IExecutorService}; {@code map} returns results in input order.
 *
 * <p><b>Faults.</b> A member that leaves or dies mid-task has its tasks run again on another member, up to
 * {@link Builder#maxAttempts(int)} attempts in all: delivery is <i>at least once</i>, so tasks should be idempotent.
 * When the attempts are used up the task fails with {@link TaskFailedException} naming the cause. When every member
 * JVM the pool started has exited, the outstanding tasks fail at once with a {@code TaskFailedException} naming each
 * member and its exit code, and later calls throw {@link IllegalStateException} saying so. A task's own
 * exception fails it at once, as in {@code ProcessPool}. {@link #terminate()} cancels the outstanding tasks on every
 * member and shuts the pool's members down; nothing hangs.
 *
 * <p><b>Security defaults.</b> The pool's own members bind to 127.0.0.1 only, find each other by TCP on loopback (no
 * multicast, no cloud discovery) and use a random cluster name, so a test never joins a stranger's cluster. For a real
 * deployment give a {@link Builder#memberConfig(Config) member configuration} with TLS and authentication: see
 * Hazelcast's security documentation; gil4j adds no crypto of its own. Tasks and results travel by Java serialization:
 * run only members you trust. Thread-safe.
 */
public final class ClusterPool extends AbstractTaskPool {
    private static final Logger logger = LoggerFactory.getLogger(ClusterPool.class);
    private static final long MEMBERS_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    /** What Hazelcast asks of a member JVM for full functionality (it warns without them). */
    private static final String[] MEMBER_JVM_OPTIONS = {"--add-modules", "java.se",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"};

    private final HazelcastInstance hazelcast;
    private final String clusterName;
    private final List<JvmProcess> localMembers;
    private final IExecutorService executor;
    private final int maxAttempts;
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Why the pool cannot run anything any more (every member JVM it started has exited), or {@code null}. */
    private volatile String broken;

    private ClusterPool(HazelcastInstance hazelcast, String clusterName, List<JvmProcess> localMembers,
            int maxAttempts) {
        this.hazelcast = hazelcast;
        this.clusterName = clusterName;
        this.localMembers = localMembers;
        this.executor = hazelcast.getExecutorService("gil4j-cluster-pool");
        this.maxAttempts = maxAttempts;
        MemberWatch.onAllExited(localMembers, this::everyMemberExited);
    }

    /** Fails every outstanding task at once, naming the members, instead of letting it wait out the connection. */
    private void everyMemberExited(String why) {
        if (closed) {
            return; // close() and terminate() stop them on purpose
        }
        broken = why;
        logger.error("{}: outstanding tasks fail, and the pool accepts no new ones", why);
        for (CompletableFuture<?> task : List.copyOf(outstanding)) {
            task.completeExceptionally(new TaskFailedException(why + ", so the task cannot run", null));
        }
    }

    /**
     * Starts a pool on an embedded member in this JVM, on loopback, with a cluster name of its own.
     *
     * @return the pool
     */
    public static ClusterPool create() {
        return builder().build();
    }

    /**
     * Returns a builder.
     *
     * @return a builder: embedded member, random cluster name, 3 attempts per task
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns how many members the cluster has now.
     *
     * @return the number of members
     */
    public int members() {
        return hazelcast.getCluster().getMembers().size();
    }

    /**
     * Returns the cluster's name, which another JVM gives to {@link Builder#clusterName(String)} to join it.
     *
     * @return the name: the one given, or the random one this pool chose
     */
    public String clusterName() {
        return clusterName;
    }

    /**
     * Returns where the cluster's members listen, as {@code host:port}, for another JVM's {@link Builder#join}.
     *
     * @return the members' addresses now
     */
    public List<String> addresses() {
        return hazelcast.getCluster().getMembers().stream()
                .map(member -> member.getAddress().getHost() + ":" + member.getAddress().getPort()).toList();
    }

    /**
     * Returns the member JVMs this pool started ({@link Builder#localMembers(int)}), for monitoring and tests.
     *
     * @return the local member processes
     */
    public List<JvmProcess> localMembers() {
        return List.copyOf(localMembers);
    }

    @Override
    protected CompletableFuture<Object[]> submit(Object function, boolean pairs, Object[] arguments,
            long firstItem) {
        return submit(new ChunkTask((Serializable) function, arguments));
    }

    /** The pool's members: the default chunk size gives each about four chunks, and an imap reads 16 each ahead. */
    @Override
    protected int parallelism() {
        return Math.max(1, members());
    }

    @Override
    protected void checkAccepting(String call) {
        checkState(!closed, "%s() called on a ClusterPool after close() or terminate()", call);
        checkState(broken == null, "%s() called on a ClusterPool that cannot run tasks: %s", call, broken);
    }

    /** Submits a chunk, running it again elsewhere when its member leaves, up to {@code maxAttempts} in all. */
    CompletableFuture<Object[]> submit(ChunkTask task) {
        CompletableFuture<Object[]> result = new CompletableFuture<>();
        outstanding.add(result);
        result.whenComplete((value, failure) -> outstanding.remove(result));
        attempt(task, 1, result);
        return result;
    }

    private void attempt(ChunkTask task, int attempt, CompletableFuture<Object[]> result) {
        if (result.isDone()) {
            return; // cancelled
        }
        if (broken != null) { // a map still reading its input: no member is left to run what it submits
            result.completeExceptionally(new TaskFailedException(broken + ", so the task cannot run", null));
            return;
        }
        try {
            executor.submit(task, new ExecutionCallback<Object[]>() {
                @Override
                public void onResponse(Object[] response) {
                    result.complete(response);
                }

                @Override
                public void onFailure(Throwable failure) {
                    if (broken != null) {
                        result.completeExceptionally(new TaskFailedException(broken, failure));
                    } else if (memberLost(failure) && !closed && attempt < maxAttempts) {
                        logger.warn("a task's member left ({}); running it again (attempt {} of {})", failure,
                                attempt + 1, maxAttempts);
                        attempt(task, attempt + 1, result);
                    } else if (memberLost(failure)) {
                        result.completeExceptionally(new TaskFailedException("the task's member left the cluster "
                                + attempt + " time(s) and no attempt is left (maxAttempts " + maxAttempts + ")",
                                failure));
                    } else {
                        result.completeExceptionally(failure);
                    }
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private static boolean memberLost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MemberLeftException || cause instanceof RetryableException
                    || cause instanceof HazelcastInstanceNotActiveException
                    || cause instanceof TargetDisconnectedException || cause instanceof TargetNotMemberException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Cancels the {@code imap} iterators still reading their input (a loop left with {@code break}: they compute
     * nothing more, and throw {@link CancellationException} if used again), waits for the other outstanding tasks,
     * then shuts down this JVM's member or client and the pool's member JVMs.
     */
    @Override
    public void close() {
        closed = true;
        cancelStillReading(); // an imap left with break: it computes nothing more
        for (CompletableFuture<?> task : List.copyOf(outstanding)) {
            try {
                task.get();
            } catch (ExecutionException | CancellationException done) {
                // finished, with a failure its caller sees
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                terminate();
                return;
            }
        }
        shutDown();
    }

    /** Cancels every outstanding task (they fail with {@link CancellationException}) and shuts everything down. */
    @Override
    public void terminate() {
        closed = true;
        for (CompletableFuture<?> task : List.copyOf(outstanding)) {
            task.cancel(true);
        }
        shutDown();
    }

    private void shutDown() {
        try {
            hazelcast.shutdown();
        } catch (RuntimeException alreadyDown) {
            // nothing to shut
        }
        for (JvmProcess member : localMembers) {
            if (member.isAlive()) {
                member.kill();
            }
            try {
                member.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "ClusterPool[" + (closed ? "closed" : members() + " members") + ", " + localMembers.size()
                + " local member JVMs, " + outstanding.size() + " tasks outstanding]";
    }

    /**
     * Configures a {@link ClusterPool}. Not thread-safe.
     *
     * <pre>{@code
     * ClusterPool pool = ClusterPool.builder().maxAttempts(3).build();   // or .localMembers(2), .join(addresses)
     * }</pre>
     */
    public static final class Builder {
        private String clusterName;
        private int localMembers;
        private final List<String> join = new ArrayList<>();
        private int maxAttempts = 3;
        private Config memberConfig;

        private Builder() {}

        /**
         * Names the cluster. Default: {@code gil4j-} and a random UUID, so that nobody else's cluster is joined.
         *
         * @param name the cluster name
         * @return this builder
         */
        public Builder clusterName(String name) {
            this.clusterName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Starts {@code count} member JVMs on this machine (loopback, ports chosen free); this JVM joins as a client.
         *
         * @param count at least 1
         * @return this builder
         */
        public Builder localMembers(int count) {
            checkArgument(count >= 1, "localMembers must be at least 1 but was %s", count);
            this.localMembers = count;
            return this;
        }

        /**
         * Joins an existing cluster as a client at these addresses ({@code host:port}); give its
         * {@link #clusterName(String)} too.
         *
         * @param addresses member addresses
         * @return this builder
         */
        public Builder join(String... addresses) {
            return join(List.of(addresses));
        }

        /**
         * Joins an existing cluster as a client at these addresses ({@code host:port}), such as another pool's
         * {@link ClusterPool#addresses()}.
         *
         * @param addresses at least one member's address
         * @return this builder
         */
        public Builder join(Collection<String> addresses) {
            for (String address : addresses) {
                join.add(Objects.requireNonNull(address, "address"));
            }
            return this;
        }

        /**
         * Sets the embedded member's configuration (TLS, authentication, real networking). Default: loopback only.
         *
         * @param config a Hazelcast member configuration
         * @return this builder
         */
        public Builder memberConfig(Config config) {
            this.memberConfig = Objects.requireNonNull(config, "config");
            return this;
        }


        /**
         * Sets how many times a task may be started when its member leaves. Default: 3.
         *
         * @param attempts at least 1
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            checkArgument(attempts >= 1, "maxAttempts must be at least 1 but was %s", attempts);
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Starts or joins the cluster; returns once the pool's members have all joined.
         *
         * @return the pool
         * @throws IllegalStateException if both local members and an existing cluster were asked for, or the members
         *     did not join in time
         */
        public ClusterPool build() {
            checkState(localMembers == 0 || join.isEmpty(), "localMembers(%s) and join(%s) exclude each other",
                    localMembers, join);
            String name = clusterName != null ? clusterName : "gil4j-" + UUID.randomUUID();
            if (!join.isEmpty()) {
                return new ClusterPool(HazelcastClient.newHazelcastClient(Configs.client(name, join)), name,
                        List.of(), maxAttempts);
            }
            if (localMembers == 0) {
                Config config = memberConfig != null ? memberConfig : Configs.member(name, freePort(), List.of());
                return new ClusterPool(Hazelcast.newHazelcastInstance(config), config.getClusterName(), List.of(),
                        maxAttempts);
            }
            return startLocalMembers(name);
        }

        private ClusterPool startLocalMembers(String name) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < localMembers; i++) {
                ports.add(freePort());
            }
            List<JvmProcess> members = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int port : ports) {
                List<Integer> peers = List.copyOf(ports);
                JvmProcess member = JvmProcess.builder(() -> ClusterMember.serve(name, port, peers))
                        .name("cluster-member-" + port).daemon(true).jvmOptions(MEMBER_JVM_OPTIONS).build();
                member.start();
                members.add(member);
                addresses.add("127.0.0.1:" + port);
            }
            HazelcastInstance client = HazelcastClient.newHazelcastClient(Configs.client(name, addresses));
            long deadline = System.nanoTime() + MEMBERS_TIMEOUT_NANOS;
            while (client.getCluster().getMembers().size() < localMembers) {
                if (System.nanoTime() - deadline > 0) {
                    client.shutdown();
                    members.forEach(JvmProcess::kill);
                    throw new IllegalStateException("only " + client.getCluster().getMembers().size() + " of "
                            + localMembers + " members joined within 120 s");
                }
                try {
                    Thread.sleep(50); // polling the cluster's membership, which has no blocking wait
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the members were joining", e);
                }
            }
            return new ClusterPool(client, name, members, maxAttempts);
        }

        private static int freePort() {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port on loopback", e);
            }
        }
    }
}
