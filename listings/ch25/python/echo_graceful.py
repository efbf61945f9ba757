# The echo server of chapter 24 with a graceful shutdown, in asyncio:
#
#   python3 -u echo_graceful.py [--listen ADDR] [--drain-secs N]
#
# On SIGINT or SIGTERM it stops accepting, keeps echoing on every open
# connection until that client half-closes, and exits 0 when all are
# closed; a client still open after N seconds (default 5) is cut.
import argparse
import asyncio
import signal
import socket
import sys

MAX_LINE = 8192
LINGER = 1.0  # how long a refused client may go on sending


# ANCHOR: connection
async def echo(reader, writer, lines):
    while True:
        try:
            # readuntil leaves the bytes in the reader's buffer until the
            # whole line is there, so a cancel here loses nothing.
            line = await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError:
            return  # end of input (a last line without \n is dropped)
        except asyncio.LimitOverrunError:
            await refuse(reader, writer)
            return
        writer.write(line)
        await writer.drain()
        lines[0] += 1


async def refuse(reader, writer):
    """Says why, then ends the connection without losing what we wrote.
    Closing a socket that still has unread input makes Linux send a reset
    and throw away what is queued to send (the ERR line, and echoes the
    client has not read yet), so stop writing, then read and discard
    until the client closes too, for at most LINGER seconds."""
    writer.write(b"ERR line too long\n")
    await writer.drain()
    writer.write_eof()
    try:
        async with asyncio.timeout(LINGER):
            while await reader.read(65536):
                pass
    except TimeoutError:
        pass


async def connection(conn, number):
    lines = [0]
    writer = None
    try:
        reader, writer = await asyncio.open_connection(
            sock=conn, limit=MAX_LINE)
        await echo(reader, writer, lines)
    except asyncio.CancelledError:
        print(f"cut connection #{number} after {lines[0]} line(s)")
        # Not re-raised: being cut is how this task is meant to end, and
        # the TaskGroup must not treat it as a failure.
    except OSError as e:
        # One client's reset must not fail the group (and so the server).
        print(f"connection #{number}: {e}", file=sys.stderr)
    finally:
        if writer is None:
            conn.close()
        else:
            writer.close()
# ANCHOR_END: connection


# ANCHOR: serve
async def serve(sock, drain):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # A second signal changes nothing: the drain limit bounds the wait.
        loop.add_signal_handler(
            sig, lambda name=sig.name: stop.done() or stop.set_result(name))
    print(f"listening on {sock.getsockname()[0]}:{sock.getsockname()[1]}")
    sock.setblocking(False)
    tasks = set()  # the open connections; a task leaves when it ends
    count = 0
    async with asyncio.TaskGroup() as group:
        def take_queued():
            """Accepts until the kernel's queue is empty. Each connection
            is a task of the group from the moment it leaves the queue, so
            the drain below sees every connection the kernel handed over."""
            nonlocal count
            while True:
                try:
                    conn, _ = sock.accept()
                except (BlockingIOError, InterruptedError):
                    return  # the queue is empty
                except ConnectionAbortedError:
                    continue  # this client gave up; the rest still wait
                except OSError as e:
                    # Out of file descriptors, say: the clients stay
                    # queued; try again a little later instead of spinning.
                    print(f"accept failed: {e}", file=sys.stderr)
                    if not stop.done():
                        loop.remove_reader(sock)
                        loop.call_later(0.1, lambda: stop.done()
                                        or loop.add_reader(sock, take_queued))
                    return
                count += 1
                task = group.create_task(connection(conn, count))
                tasks.add(task)
                task.add_done_callback(tasks.discard)

        loop.add_reader(sock, take_queued)
        name = await stop
        loop.remove_reader(sock)
        # The signal may be handled in the same loop step as a new
        # connection, before the reader above has run: take what the
        # kernel has queued, then close, so that connects are refused.
        take_queued()
        sock.close()
        print(f"{name}: stopped accepting; draining {len(tasks)} "
              f"connection(s), limit {drain}s")
        # asyncio.wait, not gather: a gather that times out cancels
        # everything it waits for, and cutting is a decision made below.
        left = set()
        if tasks:
            _, left = await asyncio.wait(tasks, timeout=drain)
        if left:
            for task in left:
                task.cancel()
            print(f"drain limit reached after {drain}s: "
                  f"cut {len(left)} connection(s)")
        else:
            print("drained: every connection closed by its client")
    # Leaving the `async with` waited for every task of the group.
# ANCHOR_END: serve


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1:7878")
    parser.add_argument("--drain-secs", type=float, default=5.0)
    args = parser.parse_args()
    # Every line leaves at its `\n`, with or without `python3 -u`: the
    # first one tells a client the port.
    sys.stdout.reconfigure(line_buffering=True)
    host, _, port = args.listen.rpartition(":")
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, int(port)))
        sock.listen(1024)
    except (OSError, ValueError) as e:
        message = e.strerror if isinstance(e, OSError) else str(e)
        print(f"echo_graceful.py: cannot listen on {args.listen}: {message}",
              file=sys.stderr)
        sys.exit(1)
    asyncio.run(serve(sock, args.drain_secs))


if __name__ == "__main__":
    main()
