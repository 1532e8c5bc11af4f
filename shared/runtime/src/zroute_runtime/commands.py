"""The one HTTP command path: unit of work → handler → commit, refusals as 4xx.

Authorization is done before a route runs, by the access matrix
(:mod:`zroute_runtime.auth.matrix`). A route then runs its command through
:func:`run_command` (or :func:`command`, when it loads and checks before it commits):

- the unit of work carries the caller's ``X-Correlation-ID`` and W3C trace context
  (:func:`~zroute_runtime.http_host.command_context`) into every event the command causes;
- the command commits once, and only when the handler returns;
- a :class:`~zroute_contract.errors.DomainError` becomes a 4xx answer by one table
  (:data:`STATUS`), and so does a value the contract refuses (pydantic's ``ValidationError``).

Reads that may refuse (404, 403) use :func:`refusals` alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

from fastapi import HTTPException, Request, status
from pydantic import ValidationError
from zroute_contract.errors import Conflict, DomainError, Forbidden, InvalidRequest, NotFound

from zroute_runtime.http_host import command_context
from zroute_runtime.unit_of_work import UnitOfWork

STATUS: dict[type[DomainError], int] = {
    InvalidRequest: status.HTTP_422_UNPROCESSABLE_CONTENT,
    Conflict: status.HTTP_409_CONFLICT,
    NotFound: status.HTTP_404_NOT_FOUND,
    Forbidden: status.HTTP_403_FORBIDDEN,
}
"""The 4xx answer of each kind of refusal; any other ``DomainError`` is a 400."""

T = TypeVar("T")


def http_error(exc: DomainError) -> HTTPException:
    """The HTTP answer to a domain refusal: the most specific kind in :data:`STATUS` wins."""
    # A refusal that lists every problem it found (``problems``) answers them as the detail.
    problems = list(getattr(exc, "problems", None) or ())
    detail: Any = {"error": exc.reason, "detail": problems} if problems else exc.reason
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return HTTPException(STATUS[kind], detail)
    return HTTPException(status.HTTP_400_BAD_REQUEST, detail)


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a domain refusal, or a value the contract refuses, into its 4xx answer."""
    try:
        yield
    except DomainError as exc:
        raise http_error(exc) from None
    except ValidationError as exc:  # say where, not what: the input may be personal
        detail = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail) from None


@asynccontextmanager
async def command(runtime: Any, request: Request) -> AsyncIterator[UnitOfWork]:
    """A unit of work in the caller's context; the caller commits. Refusals become 4xx."""
    with refusals():
        async with runtime.uow(command_context(request)) as uow:
            yield uow


async def run_command(
    runtime: Any, request: Request, handler: Callable[[UnitOfWork], Awaitable[T]]
) -> T:
    """Run ``handler`` in its own unit of work and commit it; returns what it returns."""
    async with command(runtime, request) as uow:
        result = await handler(uow)
        await uow.commit()
        return result
