import types


async def ticks():
    """PEP 525 (Python 3.6): yield inside async def makes an async generator."""
    yield 1
    yield 2


async def use_ticks():
    async for t in ticks():     # the yielded values go to async for,
        print("async for got", t)   # not to the event loop


@types.coroutine
def pause():
    """The leaf: still a generator, still needs types.coroutine."""
    sent = yield "pause"        # this value goes to the event loop
    return sent


async def with_leaf():
    return await pause()


def step(coro, value=None):
    """What an event loop does: send, and see what the coroutine yields."""
    try:
        print("loop received", repr(coro.send(value)))
    except StopIteration as stop:
        print("finished with", repr(stop.value))


c = use_ticks()
step(c)                         # runs to the end: nothing reaches the loop

c = with_leaf()
step(c)                         # the leaf's yield reaches the loop
step(c, "resumed")


async def await_ticks():
    await ticks()               # an async generator cannot be awaited


try:
    step(await_ticks())
except TypeError as e:
    print("TypeError:", e)
