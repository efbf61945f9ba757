"""How long a time limit takes when the coroutine it cancels cleans up
with an `await` in its `finally`: `asyncio.wait_for` and
`asyncio.timeout()` both wait for that cleanup before raising
`TimeoutError`, so a 0.1 s limit costs 0.1 + 0.5 s."""

import asyncio
import time


async def slow_with_cleanup():
    try:
        await asyncio.sleep(10)
    finally:
        await asyncio.sleep(0.5)


async def with_wait_for():
    await asyncio.wait_for(slow_with_cleanup(), timeout=0.1)


async def with_timeout():
    async with asyncio.timeout(0.1):
        await slow_with_cleanup()


async def main():
    for name, limited in [("wait_for", with_wait_for), ("timeout", with_timeout)]:
        start = time.monotonic()
        try:
            await limited()
        except TimeoutError:
            elapsed = time.monotonic() - start
            print(f"{name}: TimeoutError after {elapsed:.3f}s")


asyncio.run(main())
