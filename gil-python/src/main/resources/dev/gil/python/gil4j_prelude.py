# Run by gil4j before a Python program on Jython, with _gil4j_bridge bound to the lock's bridge. It does for Jython
# what CPython's interpreter does for its code:
#  - threads run Python code only while they hold the lock (threading.Thread and thread.start_new_thread);
#  - (the eval breaker is not here: the gil4j agent puts its poll into Jython's compiled Python code, at every loop
#    back-edge and function entry, as CPython checks its breaker; a trace function cannot do it, because Jython
#    calls trace functions holding a lock of its own, and a thread that waited for the GIL there would deadlock);
#  - blocking calls let the lock go while they block, as CPython's C code does (Py_BEGIN_ALLOW_THREADS):
#    time.sleep, Thread.join, Lock/RLock/Condition/Semaphore/Event waits (and so Queue), select and socket calls.
# The originals are kept on their modules, so a second program in the same JVM wraps them, not our wrappers.
import sys as _sys
import time as _time
import thread as _thread
import threading as _threading
import select as _select
import _socket
import types as _types

_gil = _gil4j_bridge


def _released(call):
    def blocking(*args, **kwargs):
        return _gil.released(lambda: call(*args, **kwargs))
    blocking.__name__ = getattr(call, '__name__', 'blocking')
    blocking._gil4j_original = call
    return blocking


def _holding(func):
    def run(*args, **kwargs):
        _gil.acquire()
        try:
            return func(*args, **kwargs)
        finally:
            _gil.releaseAll()
    return run


def _original(owner, name):
    current = getattr(owner, name)
    return getattr(current, '_gil4j_original', current)  # what a program before this one in the JVM wrapped


def _replace(owner, name, replacement):
    # Modules that Jython implements in Java (time, thread) are Java classes: a function set on one would become a
    # method of it, so it goes in as a static method; on a Python class (JavaThread) it stays a method.
    original = getattr(owner, name)
    replacement._gil4j_original = getattr(original, '_gil4j_original', original)
    if isinstance(owner, type) and not isinstance(original, _types.MethodType):
        replacement = staticmethod(replacement)
    setattr(owner, name, replacement)


def _wrap_blocking(owner, name):
    if hasattr(owner, name):
        _replace(owner, name, _released(_original(owner, name)))


_wrap_blocking(_time, 'sleep')
_wrap_blocking(_select, 'select')
_wrap_blocking(_threading.JavaThread, 'join')
for _name in ('accept', 'connect', 'recv', 'recv_into', 'recvfrom', 'recvfrom_into', 'send', 'sendall', 'sendto'):
    _wrap_blocking(_socket._realsocket, _name)

_new_function_thread = _original(_threading, '_newFunctionThread')
_start_new_thread = _original(_thread, 'start_new_thread')


def _new_function_thread_holding(func, args):
    return _new_function_thread(_holding(func), args)


def _start_holding(func, args, kwargs=None):
    return _start_new_thread(_holding(func), args, kwargs or {})


_replace(_threading, '_newFunctionThread', _new_function_thread_holding)
_replace(_thread, 'start_new_thread', _start_holding)


class _GilLock(object):
    """A lock whose blocking acquire lets the interpreter lock go while it waits."""

    def __init__(self, inner):
        self._inner = inner

    def acquire(self, blocking=True, timeout=-1):
        if self._inner.acquire(False):
            return True
        if not blocking:
            return False
        return _gil.released(lambda: self._inner.acquire(True))

    def release(self):
        self._inner.release()

    def locked(self):
        return self._inner.locked() if hasattr(self._inner, 'locked') else False

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()

    def _is_owned(self):
        return self._inner._is_owned()


_Lock = _original(_threading, 'Lock')
_RLock = _original(_threading, 'RLock')
_Condition = _original(_threading, 'Condition')
_allocate_lock = _original(_thread, 'allocate_lock')


def Lock():
    return _GilLock(_Lock())


def RLock(*args, **kwargs):
    return _GilLock(_RLock())


class Condition(object):
    """threading.Condition whose wait lets the interpreter lock go."""

    def __init__(self, lock=None):
        if lock is None:
            lock = RLock()
        self._lock = lock
        inner = lock._inner if isinstance(lock, _GilLock) else lock
        self._condition = _Condition(inner)

    def acquire(self, *args):
        return self._lock.acquire(*args)

    def release(self):
        self._lock.release()

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()

    def wait(self, timeout=None):
        return _gil.released(lambda: self._condition.wait(timeout))

    def notify(self, n=1):
        self._condition.notify(n)

    def notify_all(self):
        self._condition.notifyAll()

    notifyAll = notify_all


def _allocate_gil_lock():
    return _GilLock(_allocate_lock())


_replace(_threading, 'Lock', Lock)
_replace(_threading, 'RLock', RLock)
_replace(_threading, 'Condition', Condition)
_replace(_thread, 'allocate_lock', _allocate_gil_lock)
for _cls_name in ('_Semaphore', '_BoundedSemaphore', '_Event'):
    _cls = getattr(_threading, _cls_name, None)
    if _cls is not None:
        for _method in ('acquire', 'wait'):
            if _method in _cls.__dict__:
                _wrap_blocking(_cls, _method)

def _gil4j_join_threads():
    # CPython's main thread waits for the other non-daemon threads at exit; join lets the lock go meanwhile.
    me = _threading.currentThread()
    for t in _threading.enumerate():
        if t is not me and not t.isDaemon() and t.isAlive():
            t.join()
