import asyncio
import time

start = time.monotonic()


def t():
    return f"{time.monotonic() - start:.3f}s"


async def ticker(n, delay):
    # `yield` inside `async def`: an async generator (PEP 525).
    print(f"[{t()}] ticker: started")
    for i in range(n):
        await asyncio.sleep(delay)
        print(f"[{t()}] ticker: yielding {i}")
        yield i


async def main():
    ticks = ticker(3, 0.2)
    print(f"[{t()}] main: created {type(ticks).__name__}, nothing ran yet")
    async for i in ticks:
        print(f"[{t()}] main: got {i}")
    print(f"[{t()}] main: done")


asyncio.run(main())
