# I/O-bound work: 8 threads that each sleep 4 times overlap their waits, GIL or not.
# Usage: io_bound.py [SECONDS_PER_SLEEP]
from __future__ import print_function
import sys
import threading
import time

DELAY = float(sys.argv[1]) if len(sys.argv) > 1 else 0.05


def wait_four_times():
    for _ in range(4):
        time.sleep(DELAY)


start = time.time()
for _ in range(8):
    wait_four_times()
sequential = time.time() - start

start = time.time()
threads = [threading.Thread(target=wait_four_times) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
threaded = time.time() - start
print("io_bound: 8 threads x 4 sleeps: one after another %.3f s, in threads %.3f s, speed-up %.2fx"
      % (sequential, threaded, sequential / threaded))
