/**
 * Python's {@code multiprocessing} for Java: child JVMs running a lambda, pipes between them, process pools, a
 * process-backed {@code ExecutorService} and a process queue. Only {@code dev.gil.multiprocess} is exported; the
 * internals ({@code dev.gil.multiprocess.internal} and its sub-packages) are not, and may change in any release.
 */
module dev.gil.multiprocess {
    requires com.google.common;
    requires org.slf4j;

    exports dev.gil.multiprocess;
}
