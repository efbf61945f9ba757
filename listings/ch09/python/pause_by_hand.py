import asyncio
import types

@types.coroutine
def pause():
    """让出一次控制权：一个裸 yield，不向循环提任何要求。"""
    yield

async def countdown(label, n):
    lines = []
    for i in range(n, 0, -1):
        lines.append(f"T-minus {i} ({label})")
        await pause()
    lines.append(f"{label} lift-off!")
    return lines

def run_by_hand(coro):
    """最小的“事件循环”：一直 send(None)，直到 StopIteration。"""
    while True:
        try:
            coro.send(None)
        except StopIteration as stop:
            return stop.value

print("asyncio:", ", ".join(asyncio.run(countdown("A", 3))))
print("手写的循环:", ", ".join(run_by_hand(countdown("A", 3))))
