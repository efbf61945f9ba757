import asyncio
import threading
import time

start = time.monotonic()


def t():
    return f"{time.monotonic() - start:.3f}s"


async def thread_lock_holder(lock):
    with lock:
        print(f"[{t()}] holder: locked, awaiting 0.5 s with the lock held")
        await asyncio.sleep(0.5)
        print(f"[{t()}] holder: unlocking")


async def asyncio_lock_holder(lock):
    async with lock:
        print(f"[{t()}] holder: locked, awaiting 0.5 s with the lock held")
        await asyncio.sleep(0.5)
        print(f"[{t()}] holder: unlocking")


async def thread_lock_waiter(lock):
    # threading.Lock.acquire blocks the thread, and with it the event loop:
    # holder cannot resume to unlock. Without the timeout: deadlock.
    print(f"[{t()}] waiter: lock.acquire(timeout=2)")
    acquired = lock.acquire(timeout=2)
    print(f"[{t()}] waiter: acquired = {acquired}")
    if acquired:
        lock.release()


async def asyncio_lock_waiter(lock):
    # asyncio.Lock.acquire is awaited: the loop keeps running holder.
    print(f"[{t()}] waiter: await lock.acquire()")
    async with lock:
        print(f"[{t()}] waiter: acquired")


async def main():
    global start
    print("threading.Lock:")
    lock = threading.Lock()
    await asyncio.gather(thread_lock_holder(lock), thread_lock_waiter(lock))

    start = time.monotonic()
    print("asyncio.Lock:")
    lock = asyncio.Lock()
    await asyncio.gather(asyncio_lock_holder(lock), asyncio_lock_waiter(lock))


asyncio.run(main())
