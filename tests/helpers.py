"""Small helpers shared by the test tiers."""

from __future__ import annotations

import asyncio


async def wait_for(predicate, *, timeout: float = 15.0, interval: float = 0.02, what: str = ""):
    """Poll ``predicate`` (sync or async) until it returns a truthy value; fail after
    ``timeout`` seconds saying what was awaited. Used to wait on a row or a message,
    never as a blind sleep."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        await asyncio.sleep(interval)
