# CancelledError arriving inside `await reader.readline()`: the half line
# stays in the StreamReader's buffer and the next readline returns it
# whole. A coroutine that collects the bytes in a local variable loses
# them with its frame. No timers: the cancel comes at a known point.
import asyncio

WORDS = ["alpha", "bravo", "charlie"]


# ANCHOR: own_buffer
async def own_buffer(reader):
    line = b""
    while not line.endswith(b"\n"):
        line += await reader.read(1)  # taken out of the reader's buffer
    return line
# ANCHOR_END: own_buffer


# ANCHOR: cancel
async def cancel_mid_line(read_line):
    reader = asyncio.StreamReader()
    got = []
    for word in WORDS:
        reader.feed_data(word[:3].encode())
        task = asyncio.create_task(read_line(reader))
        await asyncio.sleep(0)  # the task reads the first half and waits
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        reader.feed_data(word[3:].encode() + b"\n")
        got.append((await read_line(reader)).decode().rstrip("\n"))
    return got
# ANCHOR_END: cancel


def report(name, got):
    lost = [repr(sent[: len(sent) - len(g)])
            for sent, g in zip(WORDS, got) if sent != g]
    verdict = "lost " + " ".join(lost) if lost else "nothing lost"
    print(f"{name:<15} got {got}: {verdict}")


async def main():
    report("readline", await cancel_mid_line(lambda r: r.readline()))
    report("own_buffer", await cancel_mid_line(own_buffer))


asyncio.run(main())
