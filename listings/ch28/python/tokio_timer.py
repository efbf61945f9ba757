"""一个需要 tokio 计时器的 Rust future，交给 asyncio 会怎样（第 28 章）。"""
import asyncio

import send_poll


async def main():
    try:
        await send_poll.tokio_sleep(0.1)
    except Exception as e:  # 接不住：PanicException 不是 Exception
        print(f"except Exception 接住了 {e!r}")


try:
    asyncio.run(main())
except BaseException as e:
    kind = type(e)
    print(f"asyncio.run 抛出 {kind.__module__}.{kind.__name__}: {e}")
    print(f"它是 Exception 吗？{isinstance(e, Exception)}")
    print(f"它的基类：{[base.__name__ for base in kind.__mro__[1:]]}")

print("== 自己 send(None) ==")
coro = send_poll.tokio_sleep(0.1)
try:
    coro.send(None)
except BaseException as e:
    print(f"第 1 次 send(None)：{type(e).__name__}: {e}")
try:
    coro.send(None)
except RuntimeError as e:
    print(f"第 2 次 send(None)：RuntimeError: {e}")
