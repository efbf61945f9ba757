import asyncio


async def stuff():
    print('stuff() 运行了')

# ANCHOR: original
# This also works in Python 3.5.
@asyncio.coroutine
def py34_coro():
    yield from stuff()
# ANCHOR_END: original


asyncio.run(py34_coro())
