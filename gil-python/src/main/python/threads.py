# The seed's snippet: th1 = Thread(target=do_work); th1.start(); th1.join()
from __future__ import print_function
import threading


def do_work():
    print("do_work ran in", threading.current_thread().name)


th1 = threading.Thread(target=do_work, name="th1")
th1.start()
th1.join()
print("th1 joined")
