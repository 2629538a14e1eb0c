# The phone booth: one booth (the GIL), several callers. With no queue, whoever is fastest when the door opens gets the
# booth, and the caller who just left is nearest the door. Two CPU-bound threads count for a while and note the
# longest time each went without the booth (in the second half of the run): turns handed round on a timer (CPython's switch interval) keep it near
# the interval, a queue (fair) keeps it short, and grabbing (unfair) lets it grow. Without a GIL both run at once.
# Usage: phone_booth.py [SECONDS]
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

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
WARM_UP = SECONDS / 2  # waits are noted in the second half only: Jython compiles its loops in the first
counts = [0, 0]
longest_wait = [0.0, 0.0]
running = [True]


def caller(index):
    n = 0
    last = now()
    noting_from = last + WARM_UP
    while running[0]:
        n += 1
        if n % 1000 == 0:
            t = now()
            if t > noting_from and t - last > longest_wait[index]:
                longest_wait[index] = t - last
            last = t
            counts[index] = n


callers = [threading.Thread(target=caller, args=(i,)) for i in range(2)]
for t in callers:
    t.start()
time.sleep(SECONDS)
running[0] = False
for t in callers:
    t.join()
total = float(sum(counts)) or 1.0
print("phone_booth: caller A got %d%% of the counting, caller B %d%%; longest time without the booth %.1f ms"
      % (round(100 * counts[0] / total), round(100 * counts[1] / total), max(longest_wait) * 1e3))
