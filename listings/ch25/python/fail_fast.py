# asyncio.TaskGroup (Python 3.11+): the first task that fails cancels its
# siblings; the group then raises an ExceptionGroup. asyncio.timeout cancels
# the body of its block when the time is up and raises TimeoutError.
import asyncio
import time


async def worker(name, secs, fail=False):
    try:
        await asyncio.sleep(secs)
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise  # a cancelled task must let CancelledError through
    if fail:
        raise ValueError(f"{name} failed")
    print(f"{name} done")


async def main():
    start = time.monotonic()
    # ANCHOR: group
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(worker("fast", 0.5))
            group.create_task(worker("bad", 1.0, fail=True))
            group.create_task(worker("slow", 2.0))
    except* ValueError as failed:
        print(f"group failed: {failed.exceptions[0]}")
    # ANCHOR_END: group
    print(f"group left after {time.monotonic() - start:.2f}s")
    # ANCHOR: timeout
    try:
        async with asyncio.timeout(0.5):
            await worker("late", 2.0)
    except TimeoutError:
        print("timed out")
    # ANCHOR_END: timeout
    print(f"total {time.monotonic() - start:.2f}s")


asyncio.run(main())
