"""asyncio's ready queue: a finished Future does not resume its waiter
directly, it appends a callback to the loop's `_ready` deque."""

import asyncio


async def waiter(fut):
    print("waiter：await fut，暂停")
    value = await fut
    print("waiter：恢复运行，拿到", value)


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    task = asyncio.create_task(waiter(fut))
    await asyncio.sleep(0)  # 让出一轮，waiter 运行到 await fut
    before = len(loop._ready)
    fut.set_result(42)  # 相当于 Rust 的 wake()
    added = len(loop._ready) - before
    print("main：set_result(42) 之后，_ready 里多了", added, "项")
    print("main：waiter 还没有运行，因为 main 还占着线程")
    await task
    print("main：结束")


asyncio.run(main())
