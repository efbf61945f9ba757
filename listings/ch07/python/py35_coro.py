import asyncio


async def stuff():
    print('stuff() 运行了')

# ANCHOR: original
async def py35_coro():
    await stuff()
# ANCHOR_END: original


asyncio.run(py35_coro())
