# The two moments of drain_backlog.rs for the Python server: the signal
# meets connections the kernel has accepted but the server has not taken
# yet. Each client connects, sends one line and half-closes; every one of
# them must get its line back. The signal is a real SIGINT that the
# process sends itself, handled in the same loop step as the connection.
#
#   python3 -u drain_backlog.py [--rounds N] [--arriving N]
#
# --arriving N adds a third moment, which `cargo xtask test` uses: N
# clients connect from another thread while serve is accepting, and the
# signal follows the last connect at once.
import argparse
import asyncio
import contextlib
import io
import os
import signal
import socket
import threading

from echo_graceful import serve

LINE = b"hello\n"
BACKLOG = 129  # as many as drain_backlog.rs queues


def client(addr):
    sock = socket.create_connection(addr)
    sock.sendall(LINE)
    sock.shutdown(socket.SHUT_WR)
    return sock


def tally(what, clients):
    echoed = reset = 0
    other = []
    for sock in clients:
        sock.settimeout(10)
        got = b""
        try:
            while chunk := sock.recv(4096):
                got += chunk
        except ConnectionResetError:
            reset += 1
            continue
        except OSError as e:
            other.append(str(e))
            continue
        finally:
            sock.close()
        if got == LINE:
            echoed += 1
        else:
            other.append(f"got {got!r}")
    print(f"{what}: {echoed} echoed, {reset} reset")
    for problem in other:
        print(f"  {problem}")


def listener():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    return sock


async def quietly(coro):
    """Runs serve without its own lines: how many connections it drains
    depends on how the loop's steps fall, the clients' tally does not."""
    with contextlib.redirect_stdout(io.StringIO()):
        await coro


async def backlog():
    sock = listener()
    clients = [client(sock.getsockname()) for _ in range(BACKLOG)]
    server = asyncio.create_task(quietly(serve(sock, 5.0)))
    await asyncio.sleep(0)  # serve has installed its signal handlers
    os.kill(os.getpid(), signal.SIGINT)
    await server
    tally(f"{BACKLOG} clients queued", clients)


async def rounds(n):
    clients = []
    for _ in range(n):
        sock = listener()
        server = asyncio.create_task(quietly(serve(sock, 5.0)))
        await asyncio.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)
        # Blocking on purpose: the loop handles the signal and the new
        # connection in the same step.
        clients.append(client(sock.getsockname()))
        await server
    tally(f"{n} signals right after a connect", clients)


async def arriving(n):
    sock = listener()
    addr = sock.getsockname()
    server = asyncio.create_task(quietly(serve(sock, 5.0)))
    await asyncio.sleep(0.05)
    clients = []

    def connect():
        clients.extend(client(addr) for _ in range(n))
        os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=connect)
    thread.start()
    await server
    thread.join()
    tally(f"{n} clients arriving", clients)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--arriving", type=int, default=0)
    args = parser.parse_args()
    await backlog()
    await rounds(args.rounds)
    if args.arriving:
        await arriving(args.arriving)


asyncio.run(main())
