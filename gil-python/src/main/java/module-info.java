/**
 * The seed post's own Python programs on Jython, under a {@code GlobalInterpreterLock}. Only {@code dev.gil.python} is
 * exported; its internals are not.
 */
module dev.gil.python {
    requires transitive dev.gil.core;
    requires dev.gil.agent;
    requires dev.gil.multiprocess;
    requires org.python.jython2.standalone;

    exports dev.gil.python;
}
