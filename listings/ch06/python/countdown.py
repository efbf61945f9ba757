import asyncio
import time

async def countdown(number, n):
    while n > 0:
        print('T-minus', n, '({})'.format(number))
        await asyncio.sleep(1)
        n -= 1

async def main():
    start = time.monotonic()
    tasks = [
        asyncio.ensure_future(countdown("A", 2)),
        asyncio.ensure_future(countdown("B", 3))]
    await asyncio.wait(tasks)
    print(f'总用时 {time.monotonic() - start:.3f}s')

asyncio.run(main())
