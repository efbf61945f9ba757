"""同样的 Rust 函数交给 asyncio：send(None) 由任务（Task）来调用（第 28 章）。"""
import asyncio

import send_poll


# ANCHOR: ticker
async def ticker(n):
    """一个普通的 Python 协程，每步让出一次（asyncio.sleep(0) 是裸 yield）。"""
    for i in range(1, n + 1):
        print(f"ticker：第 {i} 步")
        await asyncio.sleep(0)
# ANCHOR_END: ticker


# ANCHOR: main
async def main():
    print("== await countdown(2) ==")
    print(f"结果：{await send_poll.countdown(2)}")

    print("== gather(countdown(2), ticker(3)) ==")
    print(f"结果：{await asyncio.gather(send_poll.countdown(2), ticker(3))}")

    print("== await sleep(0.2) ==")
    print(f"结果：{await send_poll.sleep(0.2)}")


asyncio.run(main())
# ANCHOR_END: main
