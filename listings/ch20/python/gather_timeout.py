import asyncio
import time

start = time.monotonic()


def t():
    return f"{time.monotonic() - start:.3f}s"


async def job(name, seconds):
    await asyncio.sleep(seconds)
    print(f"[{t()}] {name} done")
    return name


async def main():
    # gather: run both, wait for both (tokio::join!)
    print(await asyncio.gather(job("one", 1), job("two", 2)))

    # wait with FIRST_COMPLETED, then cancel the rest (tokio::select!)
    fast = asyncio.create_task(job("fast", 1))
    slow = asyncio.create_task(job("slow", 3))
    done, pending = await asyncio.wait(
        {fast, slow}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    print("first:", [task.result() for task in done])

    # wait_for: a time limit (tokio::time::timeout)
    try:
        await asyncio.wait_for(job("too slow", 2), timeout=0.5)
    except TimeoutError:
        print(f"[{t()}] wait_for: TimeoutError")


asyncio.run(main())
