"""The line echo server on gevent: one greenlet per connection."""

import argparse
import os
import resource
import socket
import sys

import gevent
from gevent.server import StreamServer

MAX_LINE = 8192
TOO_LONG = b"ERR line too long\n"
LINGER = 1.0  # how long a refused client may go on sending (see refuse)
MIN_FILES = 16  # stdin/out/err, epoll, a wake-up pipe, the listener...
FDS_WANTED = 1100  # where the hard limit is refused: 1,000 clients and more


# ANCHOR: echo
def echo(sock, address):
    # StreamServer hands over a gevent socket: a blocking-looking read
    # switches to the hub, which runs other greenlets until data arrives.
    # Nagle off, as asyncio does for every connection: otherwise an echo
    # may wait for the client to acknowledge the previous one.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    reader = sock.makefile("rb")
    try:
        while True:
            # At most one byte more than a line may hold.
            line = reader.readline(MAX_LINE + 1)
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE:
                    refuse(sock)
                return  # the client left, maybe mid-line
            sock.sendall(line)
            # readline() and sendall() switch to the hub only when they
            # would block: without this yield, a client that sends without
            # pause keeps every other connection waiting.
            gevent.sleep(0)
    except OSError:
        pass  # a reset or a broken pipe ends this connection only
    finally:
        reader.close()


def refuse(sock):
    """Says why, then hangs up without losing a reply: closing a socket
    with unread input makes Linux reset the connection and drop what is
    still queued to send. So: no more replies (a FIN after the ERR line),
    then read and discard until the client closes, for at most LINGER
    (a Timeout with False ends the block silently)."""
    sock.sendall(TOO_LONG)
    sock.shutdown(socket.SHUT_WR)
    with gevent.Timeout(LINGER, False):
        while sock.recv(65536):
            pass
# ANCHOR_END: echo


def parse_listen():
    parser = argparse.ArgumentParser(
        prog="echo_gevent",
        description="echoes every line back; 127.0.0.1:0 picks a free port")
    parser.add_argument("--listen", default="127.0.0.1:7878", metavar="ADDR")
    host, _, port = parser.parse_args().listen.rpartition(":")
    if not host or not port.isdigit():
        sys.exit("error: --listen wants HOST:PORT")
    return host, int(port)


# ANCHOR: raise_fd_limit SAME-AS: listings/ch24/python/echo_asyncio.py#raise_fd_limit
def raise_fd_limit():
    """Soft limit on open files up to the hard limit: one per client. Where
    that is refused (on macOS the hard limit is often unlimited, and
    setrlimit may refuse it as a soft limit), enough for 1,000 clients.
    Fewer than MIN_FILES and the server could not even start: a one-line
    error."""
    infinity = resource.RLIM_INFINITY
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    fallback = FDS_WANTED if hard == infinity else min(FDS_WANTED, hard)
    for wanted in (hard, fallback):
        if soft == infinity or (wanted != infinity and wanted <= soft):
            break
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            break
        except (ValueError, OSError):
            pass  # checked below
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != infinity and soft < MIN_FILES:
        sys.exit(f"error: the open-file limit is {soft}; a server needs "
                 f"at least {MIN_FILES} (ulimit -n)")
# ANCHOR_END: raise_fd_limit


if __name__ == "__main__":
    host, port = parse_listen()
    raise_fd_limit()
    server = StreamServer((host, port), echo, backlog=1024)
    try:
        server.start()
    except OSError as e:
        # e.strerror repeats the address: the errno's own text is enough.
        reason = os.strerror(e.errno) if e.errno else e
        sys.exit(f"error: cannot listen on {host}:{port}: {reason}")
    host, port = server.address[:2]
    print(f"listening on {host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
