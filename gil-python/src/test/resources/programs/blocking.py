# Threads that wait for each other in every way CPython releases its GIL for: join, sleep, Lock, Condition, Queue,
# Event, Semaphore and sockets. Under a lock that blocking calls did not release, this would deadlock.
from __future__ import print_function
import socket
import threading
import time
try:
    import Queue as queue
except ImportError:
    import queue

lock = threading.Lock()
condition = threading.Condition()
items = queue.Queue()
started = threading.Event()
gate = threading.Semaphore(0)
received = []


def producer():
    started.wait()
    for i in range(20):
        items.put(i)
        time.sleep(0.001)
    items.put(None)


def consumer():
    started.set()
    while True:
        item = items.get()
        if item is None:
            break
        with lock:
            received.append(item)
    with condition:
        condition.notify_all()
    gate.release()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', 0))
server.listen(1)


def echo():
    connection, _ = server.accept()
    data = connection.recv(64)
    connection.sendall(data.upper())
    connection.close()


threads = [threading.Thread(target=f) for f in (producer, consumer, echo)]
for t in threads:
    t.start()
with condition:
    while len(received) < 20:
        condition.wait(0.5)
gate.acquire()
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(server.getsockname())
client.sendall(b'ping')
reply = client.recv(64)
client.close()
for t in threads:
    t.join()
server.close()
print("blocking: received %d items, echo %s, all done" % (len(received), reply.decode('ascii')))
