"""The line echo server on asyncio streams: one task per connection."""

import argparse
import asyncio
import resource
import sys

MAX_LINE = 8192
TOO_LONG = b"ERR line too long\n"


# ANCHOR: echo
async def echo(reader, writer):
    try:
        while True:
            try:
                # The stream was made with limit=MAX_LINE: readline raises
                # ValueError once a line is longer (its LimitOverrunError,
                # converted), after dropping what it had buffered.
                line = await reader.readline()
            except ValueError:
                writer.write(TOO_LONG)
                await writer.drain()
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


def raise_fd_limit():
    """Soft limit on open files up to the hard limit: one per client."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        pass  # still a server, with the old limit


if __name__ == "__main__":
    host, port = parse_listen()
    raise_fd_limit()
    try:
        asyncio.run(main(host, port))
    except OSError as e:
        sys.exit(f"error: cannot listen on {host}:{port}: {e.strerror}")
    except KeyboardInterrupt:
        pass
