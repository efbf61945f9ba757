from gevent import monkey;monkey.patch_all()
from threading import current_thread, get_native_id
import gevent
import time

native_ids = {current_thread().name: get_native_id()}

def eat():
    print('%s eat 1' %current_thread().name)
    time.sleep(3)
    print('%s eat 2' %current_thread().name)
    native_ids[current_thread().name] = get_native_id()

def play():
    print('%s play 1' %current_thread().name)
    time.sleep(5)
    print('%s play 2' % current_thread().name)
    native_ids[current_thread().name] = get_native_id()

g1 = gevent.spawn(eat)
g2 = gevent.spawn(play)
print(current_thread().name)
gevent.joinall([g1,g2])
print(sorted(native_ids), '在同一个 OS 线程上:', len(set(native_ids.values())) == 1)
