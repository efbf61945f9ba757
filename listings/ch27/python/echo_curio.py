"""The line echo server on curio: one curio task per connection."""

import argparse
import resource
import socket
import sys

import curio

MAX_LINE = 8192
TOO_LONG = b"ERR line too long\n"
LINGER = 1.0  # how long a refused client may go on sending (see refuse)
MIN_FILES = 16  # stdin/out/err, epoll, a wake-up pipe, the listener...
FDS_WANTED = 1100  # where the hard limit is refused: 1,000 clients and more


# ANCHOR: echo
async def echo(client, address):
    # curio's own stream readline() has no length limit (curio 1.6,
    # io.py): it would buffer a line without end. So the lines are cut
    # here, from plain recv() calls, with the limit checked each time.
    buffer = bytearray()
    # Nagle off, as asyncio does for every connection (chapter 27 says
    # why); curio leaves it on.
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            # recv() returns at once while the socket has data, so a client
            # that never stops sending would keep this task running and the
            # others waiting. sleep(0) puts the task at the back of the ready
            # queue, and curio's kernel polls the sockets (timeout 0) before
            # it runs the ready tasks again (curio 1.6 kernel.py, trap_sleep
            # and the I/O polling at the top of its loop), as asyncio's
            # server does with asyncio.sleep(0) (chapter 24).
            await curio.sleep(0)
            data = await client.recv(65536)
            if not data:
                return  # the client left, maybe mid-line
            buffer += data
            done = 0  # the complete lines end here
            while (newline := buffer.find(b"\n", done)) >= 0:
                if newline - done > MAX_LINE:
                    break
                done = newline + 1
            too_long = buffer.find(b"\n", done) >= 0 or (
                len(buffer) - done > MAX_LINE)
            # Whole lines go back in one write, as the bytes came.
            if done:
                await client.sendall(buffer[:done])
                del buffer[:done]
            if too_long:
                await refuse(client)
                return
    except OSError:
        pass  # a reset or a broken pipe ends this connection only


async def refuse(client):
    """Says why, then hangs up without losing a reply: closing a socket
    with unread input makes Linux reset the connection and drop what is
    still queued to send. So: no more replies (a FIN after the ERR line),
    then read and discard until the client closes, for at most LINGER."""
    await client.sendall(TOO_LONG)
    await client.shutdown(socket.SHUT_WR)
    async with curio.ignore_after(LINGER):
        while await client.recv(65536):
            pass
# ANCHOR_END: echo


def parse_listen():
    parser = argparse.ArgumentParser(
        prog="echo_curio",
        description="echoes every line back; 127.0.0.1:0 picks a free port")
    parser.add_argument("--listen", default="127.0.0.1:7878", metavar="ADDR")
    host, _, port = parser.parse_args().listen.rpartition(":")
    if not host or not port.isdigit():
        sys.exit("error: --listen wants HOST:PORT")
    return host, int(port)


# Chapter 24's, unchanged.
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


async def main(sock):
    host, port = sock.getsockname()[:2]
    print(f"listening on {host}:{port}", flush=True)
    await curio.network.run_server(sock, echo)


if __name__ == "__main__":
    host, port = parse_listen()
    raise_fd_limit()
    try:
        sock = curio.network.tcp_server_socket(host, port, backlog=1024)
    except OSError as e:
        sys.exit(f"error: cannot listen on {host}:{port}: {e.strerror}")
    try:
        curio.run(main, sock)
    except KeyboardInterrupt:
        pass
