# The convoy effect (Beazley): an I/O-bound thread beside a CPU-bound one. Each time its I/O is done (here a 1 ms
# sleep, which releases the GIL) the I/O thread must get the GIL back before it can go on; under CPython's switch
# interval it waits for the CPU-bound thread to be asked to drop it, about 5 ms. Without a GIL it goes on at once.
# Usage: convoy.py [ROUNDS]   (prints the p50 and p90 of the wait, and the share of waits of at least 5 ms)
from __future__ import print_function
import sys
import threading
import time

try:
    from java.lang import System as _JavaSystem  # Jython: time.time() counts milliseconds

    def now():
        return _JavaSystem.nanoTime() / 1e9
except ImportError:
    now = getattr(time, 'perf_counter', time.time)

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
IO_SECONDS = 0.001
running = [True]


def spin():
    n = 0
    while running[0]:  # pure Python: holds the GIL except at the interpreter's switch points
        n += 1


def io_thread(waits):
    for _ in range(ROUNDS + 10):
        start = now()
        time.sleep(IO_SECONDS)  # releases the GIL; the time after the sleep ends is spent waiting for the GIL
        waits.append(now() - start - IO_SECONDS)
    del waits[:10]  # warm-up


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100.0))]


waits = []
spinner = threading.Thread(target=spin)
spinner.start()
io = threading.Thread(target=io_thread, args=(waits,))
io.start()
io.join()
running[0] = False
spinner.join()
over = sum(1 for w in waits if w >= 0.005) / float(len(waits))
print("convoy: I/O thread's wait for the GIL after each 1 ms sleep, p50 %.0f us, p90 %.0f us, %d%% waited 5 ms or more"
      % (percentile(waits, 50) * 1e6, percentile(waits, 90) * 1e6, round(over * 100)))
