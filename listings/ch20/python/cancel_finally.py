import asyncio
import time

start = time.monotonic()


def t():
    return f"{time.monotonic() - start:.3f}s"


async def worker():
    print(f"[{t()}] worker: start, sleeping 10 s")
    try:
        await asyncio.sleep(10)
        print(f"[{t()}] worker: after the sleep (never printed)")
    except asyncio.CancelledError:
        print(f"[{t()}] worker: CancelledError raised at the await")
        raise
    finally:
        print(f"[{t()}] worker: finally, cleaning up for 0.5 s")
        await asyncio.sleep(0.5)
        print(f"[{t()}] worker: finally, cleanup done")


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(1)
    print(f"[{t()}] main: task.cancel()")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"[{t()}] main: the task ended with CancelledError")


asyncio.run(main())
