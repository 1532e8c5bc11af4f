"""The unit of work of a screen: the caller's correlation id carried into the events, and
the domain's refusals left to the screen (which answers them as form errors or a flash)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from zroute_runtime.http_host import command_context
from zroute_ui import Page

from zroute_support.service_layer.unit_of_work import SupportUnitOfWork


@asynccontextmanager
async def unit_of_work(runtime: Any, page: Page) -> AsyncIterator[SupportUnitOfWork]:
    """A unit of work in the page request's context; the caller commits."""
    async with runtime.uow(command_context(page.request)) as uow:
        yield uow
