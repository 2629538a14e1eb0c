# A race on a shared counter, 4 threads: c = c + one() has a switch point (a call) between the read and the write,
# so even a GIL loses updates; c += 1 in a loop with no call does not lose any on CPython 3.11.
# Usage: race.py [INCREMENTS_PER_THREAD]
from __future__ import print_function
import sys
import threading

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
c = 0


def one():
    return 1


def add_with_a_call(n):
    global c
    for _ in range(n):
        c = c + one()


def add_in_place(n):
    global c
    for _ in range(n):
        c += 1


def race(body):
    global c
    c = 0
    threads = [threading.Thread(target=body, args=(N,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return 4 * N - c


print("race: c = c + one() lost %d of %d updates; c += 1 lost %d" % (race(add_with_a_call), 4 * N,
                                                                     race(add_in_place)))
