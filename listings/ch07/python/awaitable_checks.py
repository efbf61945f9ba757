import collections.abc
import inspect
import types


async def native():
    return 42


@types.coroutine
def generator_based():
    yield


def plain(awaitable):
    yield from awaitable


coro = native()
print(issubclass(collections.abc.Coroutine, collections.abc.Awaitable))  # True
print(inspect.iscoroutine(coro))                   # True
print(inspect.iscoroutine(generator_based()))      # False：只认 async def
print(inspect.isawaitable(generator_based()))      # True：但它可以被 await
try:
    next(plain(coro))  # 普通生成器里 yield from 一个协程
except TypeError as error:
    print(error)
coro.close()
