"""不用 asyncio，自己用 send(None) 驱动 Rust 的 future（第 28 章）。

和第 3 章驱动 jumping_range 生成器一样：每次 send 让对面走到下一个暂停点。
这里对面是 Rust：PyO3 把每次 send(None) 变成一次 Future::poll。
"""
import asyncio
import time

import send_poll


# ANCHOR: drive
def drive(coro, step=1):
    """一次一次 send(None)，直到 StopIteration，打印每次 send 交出什么。"""
    while True:
        try:
            yielded = coro.send(None)
        except StopIteration as stop:
            print(f"第 {step} 次 send(None)：StopIteration，value = {stop.value}")
            return stop.value
        print(f"第 {step} 次 send(None)：交出 {yielded!r}")
        step += 1
# ANCHOR_END: drive


# ANCHOR: countdown
print("== countdown(2)：自己调用 wake 的 future，没有事件循环 ==")
coro = send_poll.countdown(2)
print(f"调用 countdown(2)，得到一个 {type(coro).__name__} 对象，"
      f"名字是 {coro.__qualname__}")
drive(coro)
# ANCHOR_END: countdown

# ANCHOR: no_loop
print("== sleep(0.2)：由计时线程 wake 的 future，没有事件循环 ==")
coro = send_poll.sleep(0.2)
try:
    coro.send(None)
except RuntimeError as e:
    print(f"第 1 次 send(None)：RuntimeError: {e}")
time.sleep(1)  # 计时线程在 0.2 秒时调用 wake，可没有谁在等
print("1 秒后接着 send：")
drive(coro, step=2)
# ANCHOR_END: no_loop


# ANCHOR: in_loop
async def by_hand_in_a_loop():
    coro = send_poll.sleep(0.2)
    fut = coro.send(None)
    print(f"第 1 次 send(None)：交出 {fut!r}，"
          f"_asyncio_future_blocking = {fut._asyncio_future_blocking}")
    # Task.__step 收到它时先把这个标志清掉，再等它完成；这里照做。
    # 计时线程经 call_soon_threadsafe 完成它。
    fut._asyncio_future_blocking = False
    await fut
    print(f"await 它，回来时它是 {fut!r}")
    return drive(coro, step=2)


print("== sleep(0.2)：事件循环在运行，仍然自己 send ==")
asyncio.run(by_hand_in_a_loop())
# ANCHOR_END: in_loop
