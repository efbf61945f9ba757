"""The line echo server on selector_loop.py's executor and reactor.

Every b"\\n"-terminated line comes back unchanged (bytes, not text); a line
over 8192 bytes gets b"ERR line too long\\n" and its connection is closed;
nothing a client does costs more than its own connection. The loop is
selector_loop.py's, plus a timeout on one wait (for the lingering close).
Standard library only.
"""

import argparse
import collections
import errno
import heapq
import itertools
import resource
import selectors
import socket
import sys
import time
import types

MAX_LINE = 8192  # the longest line echoed, not counting its b"\n"
OTHER_FILES = 5  # open besides the connections: stdio, listener, epoll
MIN_FILES = 16  # below this, hardly a connection fits (as in chapter 24)
FDS_WANTED = 1100  # asked for where the hard limit is refused
LINGER = 1.0  # how long a refused connection may keep sending

READY = collections.deque()
current = None


class Task:
    def __init__(self, coro):
        self.coro = coro
        self.queued = False

    def wake(self):
        if not self.queued:
            self.queued = True
            READY.append(self)

    def run(self):
        global current
        self.queued = False
        current = self
        try:
            self.coro.send(None)
        except StopIteration:
            pass


def spawn(coro):
    Task(coro).wake()


class Timer:
    """A heap entry that can be cancelled (a timeout that lost the race)."""

    def __init__(self, deadline, seq, wake):
        self.deadline, self.seq, self.wake = deadline, seq, wake

    def __lt__(self, other):
        return (self.deadline, self.seq) < (other.deadline, other.seq)


class Reactor:
    def __init__(self):
        self.selector = selectors.DefaultSelector()
        self.timers = []
        self.seq = itertools.count()

    def wait_for(self, sock, event, wake):
        try:
            key = self.selector.get_key(sock)
        except KeyError:
            self.selector.register(sock, event, {event: wake})
            return
        key.data[event] = wake
        self.selector.modify(sock, key.events | event, key.data)

    def forget(self, sock, event):
        """The task stopped waiting (its timer fired first)."""
        try:
            key = self.selector.get_key(sock)
        except KeyError:
            return
        key.data.pop(event, None)
        if key.data:
            (left,) = key.data
            self.selector.modify(sock, left, key.data)
        else:
            self.selector.unregister(sock)

    def close(self, sock):
        if sock in self.selector.get_map():
            self.selector.unregister(sock)
        sock.close()

    def add_timer(self, deadline, wake):
        timer = Timer(deadline, next(self.seq), wake)
        heapq.heappush(self.timers, timer)
        return timer

    def wait(self, busy):
        """`busy`: some task is ready to run, so only look, do not wait."""
        timeout = None
        if busy:
            timeout = 0
        elif self.timers:
            timeout = max(0, self.timers[0].deadline - time.monotonic())
        woken = []
        for key, events in self.selector.select(timeout):
            waiters = key.data
            for event in (selectors.EVENT_READ, selectors.EVENT_WRITE):
                if events & event and event in waiters:
                    woken.append(waiters.pop(event))
            if waiters:
                (left,) = waiters
                self.selector.modify(key.fileobj, left, waiters)
            else:
                self.selector.unregister(key.fileobj)
        now = time.monotonic()
        while self.timers and self.timers[0].deadline <= now:
            timer = heapq.heappop(self.timers)
            if timer.wake:  # None: cancelled
                woken.append(timer.wake)
        return woken


REACTOR = Reactor()


@types.coroutine
def wait_for(sock, event, deadline=None):
    """Waits for `event` on `sock`, or until `deadline` if one is given."""
    REACTOR.wait_for(sock, event, current.wake)
    timer = deadline and REACTOR.add_timer(deadline, current.wake)
    yield
    if timer:
        timer.wake = None  # whichever came first, drop the other
        REACTOR.forget(sock, event)


@types.coroutine
def sleep_until(deadline):
    REACTOR.add_timer(deadline, current.wake)
    yield


@types.coroutine
def yield_now():
    """Go to the back of the ready queue: let the other tasks run."""
    current.wake()
    yield


async def recv(sock, size, deadline=None):
    while True:
        try:
            return sock.recv(size)
        except BlockingIOError:
            if deadline and time.monotonic() >= deadline:
                raise TimeoutError from None
            await wait_for(sock, selectors.EVENT_READ, deadline)


async def sendall(sock, data):
    view = memoryview(data)
    while view:  # a send may take only part of the data
        try:
            view = view[sock.send(view):]
        except BlockingIOError:
            await wait_for(sock, selectors.EVENT_WRITE)


# ANCHOR: serve
async def serve(conn):
    """One connection; any error ends this connection only."""
    try:
        pending = b""  # at most one unfinished line
        while data := await recv(conn, 8192):
            pending += data
            done, too_long = 0, False
            while (i := pending.find(b"\n", done)) != -1:
                if i - done > MAX_LINE:
                    too_long = True
                    break
                done = i + 1
            too_long |= len(pending) - done > MAX_LINE
            await sendall(conn, pending[:done])
            pending = pending[done:]
            if too_long:
                await refuse(conn)
                break
            # A client that keeps sending never makes recv() block: give
            # the other connections their turn.
            await yield_now()
    except OSError:
        pass  # a reset or a broken pipe: this client is gone
    finally:
        REACTOR.close(conn)


async def refuse(conn):
    """Says why, stops writing, then discards input until the client closes
    (at most LINGER): closing with unread input would send a reset, and
    the client might lose the ERR line."""
    await sendall(conn, b"ERR line too long\n")
    conn.shutdown(socket.SHUT_WR)
    deadline = time.monotonic() + LINGER
    try:
        while await recv(conn, 8192, deadline):
            if time.monotonic() >= deadline:
                break
            await yield_now()
    except TimeoutError:
        pass
# ANCHOR_END: serve


async def accept_loop(listener):
    warned = False
    while True:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            await wait_for(listener, selectors.EVENT_READ)
        except ConnectionAbortedError:
            pass  # the client gave up before we accepted: not our problem
        except OSError as e:
            if e.errno in (errno.EMFILE, errno.ENFILE):
                # Out of file descriptors: the connection waits in the
                # backlog; retrying at once would spin, so pause.
                if not warned:
                    warned = True
                    print(f"echo_selectors: {e}; pausing accept",
                          file=sys.stderr)
            else:
                # ENOBUFS, or a network error that accept(2) says to treat
                # like EAGAIN: the connected clients go on; try again later.
                print(f"echo_selectors: accept failed: {e}", file=sys.stderr)
            await sleep_until(time.monotonic() + 0.1)
        else:
            conn.setblocking(False)
            # Nagle off, as echo_reactor does: otherwise an echo may wait
            # for the client to acknowledge the previous one (chapter 27).
            # Should this fail, only latency suffers.
            try:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            spawn(serve(conn))


def block_on(coro):
    spawn(coro)
    while True:
        # One round: the tasks ready now. A task woken during the round (one
        # that yielded) runs in the next one, after the reactor's turn.
        for task in [READY.popleft() for _ in range(len(READY))]:
            task.run()
        for wake in REACTOR.wait(busy=bool(READY)):
            wake()


def fail(message):
    print(f"echo_selectors: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(
        prog="echo_selectors",
        description="echoes every line back; 127.0.0.1:0 picks a free port",
    )
    parser.add_argument("--listen", metavar="ADDR", default="127.0.0.1:7878")
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")  # [::1]:7878
    if not host or not port.isdigit() or int(port) > 65535:
        fail(f"{args.listen!r} is not an address such as 127.0.0.1:7878")
    # Raise the soft limit on open files: to the hard limit, or, where that
    # is refused (on macOS the hard limit is often unlimited, and setrlimit
    # may refuse that as a soft limit), to enough for 1,000 clients.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    infinity = resource.RLIM_INFINITY
    for wanted in (hard, FDS_WANTED):
        if soft == infinity or (wanted != infinity and wanted <= soft):
            break
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError):
            continue
        soft = wanted
        break
    if soft != infinity and soft < MIN_FILES:
        fail(f"the open-file limit is {soft}; a server needs at least "
             f"{MIN_FILES} (ulimit -n)")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.create_server(
            (host, int(port)), family=family, backlog=1024
        )
    except OSError as e:
        fail(f"cannot listen on {args.listen}: {e.strerror or e}")
    listener.setblocking(False)
    local_host, local_port = listener.getsockname()[:2]
    if ":" in local_host:  # IPv6, written as Rust's SocketAddr writes it
        local_host = f"[{local_host}]"
    print(f"listening on {local_host}:{local_port}")
    # One file per connection: beyond this many, accept pauses.
    if soft != infinity:
        print(f"open-file limit {soft}: up to {soft - OTHER_FILES} "
              "connections at once")
    sys.stdout.flush()
    try:
        block_on(accept_loop(listener))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
