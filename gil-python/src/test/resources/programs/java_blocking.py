# Python threads that block in Java calls made straight from Python (Jython calls Java by reflection): a queue's
# take, Thread.sleep, a latch and a future. The prelude wraps only Python's own blocking calls; these are released
# by the gil4j agent, whose blocking= patterns rewrite Jython's Method.invoke. Without that, this would deadlock.
from __future__ import print_function
import threading
from java.lang import Thread as JavaThread
from java.util.concurrent import LinkedBlockingQueue, CountDownLatch, CompletableFuture

queue = LinkedBlockingQueue()
latch = CountDownLatch(1)
future = CompletableFuture()
taken = []


def consumer():
    latch.countDown()
    for _ in range(10):
        taken.append(queue.take())
    future.complete("consumed %d" % len(taken))


def producer():
    latch.await()
    for i in range(10):
        JavaThread.sleep(2)
        queue.put(i)


threads = [threading.Thread(target=f) for f in (consumer, producer)]
for t in threads:
    t.start()
print("java_blocking:", future.get())
for t in threads:
    t.join()
print("java_blocking: all done")
