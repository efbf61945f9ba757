"""An echo server and 100 clients in one program, on one thread: each
client sends 10 lines, 100 ms apart (listing 24-1 in Python)."""

import asyncio
import time

CLIENTS = 100
LINES = 10
GAP = 0.1
MAX_LINE = 8192
open_now = 0
open_most = 0


# ANCHOR: serve
async def echo(reader, writer):
    global open_now, open_most
    open_now += 1
    open_most = max(open_most, open_now)
    try:
        while True:
            try:
                line = await reader.readline()
            except ValueError:  # longer than the stream's limit
                writer.write(b"ERR line too long\n")
                await writer.drain()
                return
            if not line.endswith(b"\n"):
                return
            writer.write(line)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
        open_now -= 1
# ANCHOR_END: serve


# ANCHOR: client
async def client(id, port):
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for n in range(LINES):
        line = f"client {id} line {n}\n".encode()
        writer.write(line)
        await writer.drain()
        reply = await reader.readline()
        assert reply == line, f"client {id} got a wrong echo"
        await asyncio.sleep(GAP)  # meanwhile the loop serves the others
    writer.close()
    await writer.wait_closed()
    return time.perf_counter() - start
# ANCHOR_END: client


# ANCHOR: main
async def main():
    start = time.perf_counter()
    server = await asyncio.start_server(echo, "127.0.0.1", 0, limit=MAX_LINE)
    port = server.sockets[0].getsockname()[1]
    times = await asyncio.gather(*(client(i, port) for i in range(CLIENTS)))
    print(f"{CLIENTS} clients, {LINES} lines each, 100ms apart, on 1 thread")
    print(f"echoed {CLIENTS * LINES} lines exactly")
    print(f"at most {open_most} connections open at once")
    print(f"slowest client: {max(times):.3f}s")
    print(f"whole run: {time.perf_counter() - start:.3f}s")
    server.close()
    await server.wait_closed()


asyncio.run(main())
# ANCHOR_END: main
