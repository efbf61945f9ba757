"""取消一个 Rust future：throw、close、task.cancel() 都会 drop 它（第 28 章）。"""
import asyncio

import send_poll


async def main():
    # ANCHOR: cancel
    print("== task.cancel() ==")
    task = asyncio.create_task(send_poll.wait_forever("task"))
    await asyncio.sleep(0.1)
    print("Python：task.cancel()")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("Python：任务以 CancelledError 结束")
    # ANCHOR_END: cancel

    # ANCHOR: wait_for
    print("== asyncio.wait_for(…, 0.1) ==")
    try:
        await asyncio.wait_for(send_poll.wait_forever("wait_for"), 0.1)
    except TimeoutError:
        print("Python：TimeoutError")
    # ANCHOR_END: wait_for

    # ANCHOR: throw
    print("== 自己 send，再 throw ==")
    coro = send_poll.wait_forever("throw")
    print(f"send(None) 交出 {coro.send(None)!r}")
    try:
        coro.throw(ValueError("不等了"))
    except ValueError as e:
        print(f"throw 把异常原样抛回来：ValueError: {e}")
    try:
        coro.send(None)
    except RuntimeError as e:
        print(f"再 send(None)：RuntimeError: {e}")
    # ANCHOR_END: throw

    # ANCHOR: close
    print("== close() ==")
    coro = send_poll.wait_forever("close")
    coro.send(None)
    coro.close()
    print("Python：close() 返回了")

    print("== 没有引用了 ==")
    coro = send_poll.wait_forever("del")
    coro.send(None)
    del coro
    print("Python：del coro 之后")
    # ANCHOR_END: close


asyncio.run(main())
