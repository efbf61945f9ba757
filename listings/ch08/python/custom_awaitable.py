import asyncio
import time

class Delay:
    """“等这么久”，只是一个值；被 await 时才开始等。"""
    def __init__(self, seconds):
        self.seconds = seconds

    def __await__(self):
        # 交出另一个对象的迭代器：真正干活的是 asyncio.sleep
        return asyncio.sleep(self.seconds).__await__()

class Launch:
    """用数据描述的倒计时：先配置，再 await 它。"""
    def __init__(self, label):
        self.label, self.start_at, self.step = label, 3, 1.0

    def count_from(self, n):
        self.start_at = n
        return self

    def tick(self, seconds):
        self.step = seconds
        return self

    def __await__(self):
        return self._run().__await__()

    async def _run(self):
        start = time.monotonic()
        for n in range(self.start_at, 0, -1):
            print(f"T-minus {n} ({self.label})")
            await Delay(self.step)
        return time.monotonic() - start

async def main():
    start = time.monotonic()
    await Delay(0.2)
    print(f"Delay 用时 {(time.monotonic() - start) * 1000:.1f}ms")
    took = await Launch("A").count_from(3).tick(0.1)
    print(f"A lift-off! 倒计时用时 {took * 1000:.1f}ms")

asyncio.run(main())
