# CPU-bound work on 1 thread, then split over 2: under a GIL, 2 threads are no faster than 1 (only one CPU works).
# Usage: cpu_bound.py [N]   (prints one line: seconds for 1 thread, for 2 threads, and the speed-up)
from __future__ import print_function
import sys
import threading
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000000


def count(n):
    while n > 0:
        n -= 1


def one_thread(n):
    # In a thread of its own, like the two below: CPython runs the same loop more slowly in the main thread.
    start = time.time()
    thread = threading.Thread(target=count, args=(n,))
    thread.start()
    thread.join()
    return time.time() - start


def two_threads(n):
    start = time.time()
    threads = [threading.Thread(target=count, args=(n // 2,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.time() - start


one_thread(N // 4)  # warm-up: Jython's first rounds compile, and CPython's specialise
two_threads(N // 4)
singles, doubles = [], []
for _ in range(3):  # alternated, so that both see the same machine; the best of each
    singles.append(one_thread(N))
    doubles.append(two_threads(N))
single = min(singles)
double = min(doubles)
print("cpu_bound: 1 thread %.3f s, 2 threads %.3f s, speed-up %.2fx" % (single, double, single / double))
