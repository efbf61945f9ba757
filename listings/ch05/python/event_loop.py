import asyncio
import time

loop = asyncio.new_event_loop()
start = time.monotonic()

def elapsed():
    return f"{time.monotonic() - start:.3f}s"

def tick(label, n):
    if n == 0:
        print(f"[{elapsed()}] {label}: 结束")
        return
    print(f"[{elapsed()}] {label}: {n}")
    loop.call_later(1, tick, label, n - 1)

loop.call_soon(tick, "A", 2)
loop.call_soon(tick, "B", 3)
loop.call_later(1.5, lambda: print(f"[{elapsed()}] 1.5 秒的定时器到了"))
loop.call_later(3.5, loop.stop)  # asyncio 的循环不会自己停下
loop.run_forever()
loop.close()
