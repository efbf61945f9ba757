"""A context variable set by a task is seen by the tasks it creates:
`asyncio.create_task` copies the current context into the new task
(tokio's `task_local!` does not: see src/bin/task_local_spawn.rs)."""

import asyncio
import contextvars

request = contextvars.ContextVar("request", default=None)


async def read():
    return request.get()


async def main():
    request.set("req-1")
    print(f"in main: {request.get()!r}")
    print(f"a task created there: {await asyncio.create_task(read())!r}")


asyncio.run(main())
print(f"after asyncio.run: {request.get()!r}")
