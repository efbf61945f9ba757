import asyncio
import time

start = time.monotonic()


def t():
    return f"{time.monotonic() - start:.3f}s"


async def producer(queue):
    for i in range(5):
        await queue.put(i)  # waits while the queue is full
        print(f"[{t()}] producer: put {i}")
    await queue.put(None)  # no more items


async def consumer(queue):
    while (item := await queue.get()) is not None:
        print(f"[{t()}] consumer: got {item}, working 0.3 s")
        await asyncio.sleep(0.3)


async def main():
    queue = asyncio.Queue(maxsize=2)
    await asyncio.gather(producer(queue), consumer(queue))
    print(f"[{t()}] main: done")


asyncio.run(main())
