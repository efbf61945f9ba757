"""The asyncio echo server of chapter 24, on uvloop's event loop."""

import argparse
import asyncio
import resource
import sys

import uvloop

MAX_LINE = 8192
TOO_LONG = b"ERR line too long\n"
LINGER = 1.0  # how long a refused client may go on sending (see refuse)


# The same coroutine as echo_asyncio.py: only the loop underneath changes.
async def echo(reader, writer):
    try:
        while True:
            # As in echo_asyncio.py: without this yield, a client that sends
            # without pause keeps every other connection waiting; without it
            # here, the two servers would not run the same code.
            await asyncio.sleep(0)
            try:
                line = await reader.readline()
            except ValueError:
                await refuse(reader, writer)
                return
            if not line.endswith(b"\n"):
                return
            writer.write(line)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def refuse(reader, writer):
    """As in echo_asyncio.py: no more replies, then discard input until
    the client closes (at most LINGER), so that closing does not reset
    the connection and drop the ERR line."""
    writer.write(TOO_LONG)
    await writer.drain()
    writer.write_eof()
    try:
        async with asyncio.timeout(LINGER):
            while await reader.read(65536):
                pass
    except TimeoutError:
        pass


async def main(host, port):
    server = await asyncio.start_server(
        echo, host, port, limit=MAX_LINE, backlog=1024)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"listening on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


def parse_listen():
    parser = argparse.ArgumentParser(
        prog="echo_uvloop",
        description="echoes every line back; 127.0.0.1:0 picks a free port")
    parser.add_argument("--listen", default="127.0.0.1:7878", metavar="ADDR")
    host, _, port = parser.parse_args().listen.rpartition(":")
    if not host or not port.isdigit():
        sys.exit("error: --listen wants HOST:PORT")
    return host, int(port)


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        pass


if __name__ == "__main__":
    host, port = parse_listen()
    raise_fd_limit()
    try:
        # uvloop.run is asyncio.run with uvloop's loop (libuv underneath)
        # in place of asyncio's selector loop.
        uvloop.run(main(host, port))
    except OSError as e:
        sys.exit(f"error: cannot listen on {host}:{port}: {e.strerror}")
    except KeyboardInterrupt:
        pass
