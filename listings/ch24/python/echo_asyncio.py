"""The line echo server on asyncio streams: one task per connection."""

import argparse
import asyncio
import os
import resource
import sys

MAX_LINE = 8192
TOO_LONG = b"ERR line too long\n"
LINGER = 1.0  # how long a refused client may go on sending (see refuse)
MIN_FILES = 16  # stdin/out/err, epoll, a wake-up pipe, the listener...
FDS_WANTED = 1100  # where the hard limit is refused: 1,000 clients and more


# ANCHOR: echo
async def echo(reader, writer):
    try:
        while True:
            # readline() and drain() return at once while lines are buffered
            # and the socket can take more: without this yield, a client
            # that sends without pause keeps every other connection waiting.
            await asyncio.sleep(0)
            try:
                # The stream was made with limit=MAX_LINE: readline raises
                # ValueError once a line is longer (its LimitOverrunError,
                # converted), after dropping what it had buffered.
                line = await reader.readline()
            except ValueError:
                await refuse(reader, writer)
                return
            if not line.endswith(b"\n"):
                return  # the client left (b"") or left mid-line
            writer.write(line)
            # drain() waits while the client is not reading its replies,
            # so a slow reader cannot make the server buffer without end.
            await writer.drain()
    except ConnectionError:
        pass  # a reset or a broken pipe ends this connection only
    finally:
        writer.close()


async def refuse(reader, writer):
    """Says why, then hangs up without losing a reply. close() on a socket
    with unread input makes Linux reset the connection and drop what is
    still queued to send, the ERR line included. So: no more replies
    (write_eof, a FIN after the buffered bytes), then read and discard
    until the client closes, for at most LINGER."""
    writer.write(TOO_LONG)
    await writer.drain()
    writer.write_eof()
    try:
        async with asyncio.timeout(LINGER):
            while await reader.read(65536):
                pass
    except TimeoutError:
        pass  # still sending: close anyway
# ANCHOR_END: echo


async def main(host, port):
    server = await asyncio.start_server(
        echo, host, port, limit=MAX_LINE, backlog=1024)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"listening on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


def parse_listen():
    parser = argparse.ArgumentParser(
        prog="echo_asyncio",
        description="echoes every line back; 127.0.0.1:0 picks a free port")
    parser.add_argument("--listen", default="127.0.0.1:7878", metavar="ADDR")
    host, _, port = parser.parse_args().listen.rpartition(":")
    if not host or not port.isdigit():
        sys.exit("error: --listen wants HOST:PORT")
    return host, int(port)


# ANCHOR: raise_fd_limit
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
    try:
        asyncio.run(main(host, port))
    except OSError as e:
        # e.strerror repeats the address: the errno's own text is enough.
        reason = os.strerror(e.errno) if e.errno else e
        sys.exit(f"error: cannot listen on {host}:{port}: {reason}")
    except KeyboardInterrupt:
        pass
