import gevent
import time
def eat(name):
    print('%s eat 1' %name)
    time.sleep(3)
    print('%s eat 2' % name)

def play(name):
    print('%s play 1' %name)
    time.sleep(5)
    print('%s play 2' % name)

start = time.monotonic()
g1 = gevent.spawn(eat,'egon') 
g2 = gevent.spawn(play,'alex')

gevent.joinall([g1,g2])
print(f'Total elapsed time is {time.monotonic() - start:.3f}s')
