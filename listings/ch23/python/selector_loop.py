"""Listing 23-1 in Python: the same executor and reactor on `selectors`.

A task is a coroutine; `Task.wake` plays the `Waker`. A leaf awaitable
tries the socket operation; on `BlockingIOError` (Rust's `WouldBlock`) it
hands `wake` to the reactor and yields, like a `poll` that returns
`Pending`. One `select()` waits for sockets and the nearest timer.
Standard library only.
"""

import collections
import errno
import heapq
import itertools
import selectors
import socket
import time
import types

# ANCHOR: task
READY = collections.deque()  # tasks whose wake was called
current = None  # the task being run: whose wake a leaf hands out


class Task:
    def __init__(self, coro):
        self.coro = coro
        self.queued = False  # already in READY: a second wake adds nothing
        self.done = False
        self.result = None
        self.waiter = None  # the wake of a task that awaits this one

    def wake(self):
        if not self.queued:
            self.queued = True
            READY.append(self)

    def run(self):
        global current
        self.queued = False
        current = self
        try:
            self.coro.send(None)  # one step: until the next yield
        except StopIteration as stop:
            self.done, self.result = True, stop.value
            if self.waiter:
                self.waiter()


def spawn(coro):
    task = Task(coro)
    task.wake()
    return task


@types.coroutine
def join(task):
    """Rust's `JoinHandle`: wait until `task` has finished."""
    while not task.done:
        task.waiter = current.wake
        yield
    return task.result
# ANCHOR_END: task


# ANCHOR: reactor
class Reactor:
    def __init__(self):
        self.selector = selectors.DefaultSelector()  # epoll on Linux
        self.timers = []  # heap of (deadline, sequence number, wake)
        self.seq = itertools.count()

    def wait_for(self, sock, event, wake):
        """Store `wake` for `event` (EVENT_READ or EVENT_WRITE) on `sock`."""
        try:
            key = self.selector.get_key(sock)
        except KeyError:
            self.selector.register(sock, event, {event: wake})
            return
        key.data[event] = wake
        self.selector.modify(sock, key.events | event, key.data)

    def close(self, sock):
        """Forget `sock`, then close it: epoll drops a closed socket on its
        own, but the selector's table would keep it."""
        if sock in self.selector.get_map():
            self.selector.unregister(sock)
        sock.close()

    def add_timer(self, deadline, wake):
        heapq.heappush(self.timers, (deadline, next(self.seq), wake))

    def wait(self):
        """One wait for sockets and the nearest timer; returns the wakes
        of exactly the tasks whose socket or timer is ready."""
        timeout = None
        if self.timers:
            timeout = max(0, self.timers[0][0] - time.monotonic())
        woken = []
        for key, events in self.selector.select(timeout):
            waiters = key.data
            for event in (selectors.EVENT_READ, selectors.EVENT_WRITE):
                if events & event and event in waiters:
                    woken.append(waiters.pop(event))
            # selectors is level-triggered: a socket nobody waits for
            # would be reported by every select(). Stop watching it.
            if waiters:  # the one event still awaited
                (event,) = waiters
                self.selector.modify(key.fileobj, event, waiters)
            else:
                self.selector.unregister(key.fileobj)
        now = time.monotonic()
        while self.timers and self.timers[0][0] <= now:
            woken.append(heapq.heappop(self.timers)[2])
        return woken


REACTOR = Reactor()


@types.coroutine
def wait_for(sock, event):
    """The leaf: hand this task's wake to the reactor, then pause."""
    REACTOR.wait_for(sock, event, current.wake)
    yield


@types.coroutine
def sleep_until(deadline):
    # The task waits for nothing else meanwhile: its one wake is the timer.
    REACTOR.add_timer(deadline, current.wake)
    yield
# ANCHOR_END: reactor


# ANCHOR: async_io
async def recv(sock, size):
    while True:
        try:
            return sock.recv(size)
        except BlockingIOError:
            await wait_for(sock, selectors.EVENT_READ)


async def sendall(sock, data):
    view = memoryview(data)
    while view:  # a send may take only part of the data
        try:
            view = view[sock.send(view):]
        except BlockingIOError:
            await wait_for(sock, selectors.EVENT_WRITE)


async def accept(listener):
    while True:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            await wait_for(listener, selectors.EVENT_READ)
        else:
            conn.setblocking(False)
            return conn


async def connect(address):
    sock = socket.socket()
    sock.setblocking(False)
    err = sock.connect_ex(address)
    if err == errno.EINPROGRESS:  # writable once the handshake is over
        await wait_for(sock, selectors.EVENT_WRITE)
        err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err:
        raise OSError(err, errno.errorcode[err])
    return sock
# ANCHOR_END: async_io


# ANCHOR: block_on
def block_on(coro):
    main = spawn(coro)
    while True:
        while READY:  # run every ready task
            READY.popleft().run()
        if main.done:
            return main.result
        for wake in REACTOR.wait():  # nothing to run: wait for events
            wake()
# ANCHOR_END: block_on


# ANCHOR: main
CLIENTS, ROUNDS = 100, 10
echoed = [0] * ROUNDS


async def echo(conn):
    while data := await recv(conn, 1024):
        await sendall(conn, data)
    REACTOR.close(conn)


async def serve(listener):
    while True:
        spawn(echo(await accept(listener)))


async def client(i, server, start):
    """Sends line `round` at start + round * 100 ms (a fixed schedule)."""
    conn = await connect(server)
    for round in range(1, ROUNDS + 1):
        await sleep_until(start + round * 0.1)
        line = f"client {i} line {round}\n".encode()
        await sendall(conn, line)
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = await recv(conn, 64)
            if not chunk:
                raise EOFError(f"client {i}: server closed")
            reply += chunk
        assert reply == line, f"client {i} got another line"
        echoed[round - 1] += 1
        if echoed[round - 1] == CLIENTS:
            print(f"round {round}: all {CLIENTS} clients got their line back")
    REACTOR.close(conn)


async def main():
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    print(f"server and {CLIENTS} clients on one thread")
    spawn(serve(listener))
    server = listener.getsockname()
    clients = [spawn(client(i, server, start)) for i in range(CLIENTS)]
    for task in clients:
        await join(task)


start = time.monotonic()
block_on(main())
print(f"{CLIENTS} clients x {ROUNDS} lines took {time.monotonic() - start:.3f}s")
# ANCHOR_END: main
