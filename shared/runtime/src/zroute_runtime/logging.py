"""Structured logs: one JSON object per line, with the ids that tie a line to its event.

Our own code logs through structlog with stable snake_case event names (catalogue in
``docs/logging.md``). Standard-library loggers (uvicorn, FastStream, aio-pika) are routed
through the same formatter, so every line a service writes has one shape. A redaction
step runs on every line as a safety net: personal data should never reach a log call in
the first place, but if it does it is dropped or masked here.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import logging
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TextIO, cast

import structlog
from pydantic import BaseModel
from structlog.typing import EventDict, Processor, WrappedLogger

from zroute_runtime.privacy import BSN_MASK, is_valid_bsn, mask_bsns

__all__ = [
    "bind_event_context",
    "clear_context",
    "configure_logging",
    "event_context",
    "get_logger",
    "is_sensitive_key",
    "redact_personal_data",
    "request_context",
]

_HANDLER_NAME = "zroute"

# Libraries that install their own handlers (and stop propagation); we take their lines
# back so they are rendered as JSON like ours. uvicorn must also be started with
# ``log_config=None`` or it reinstalls its handlers after we ran.
_ROUTED_LOGGERS = (
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "faststream",
    "faststream.access",
    "faststream.access.rabbit",
    "aio_pika",
    "aiormq",
)

# A key is dropped when, lower-cased and stripped of separators, it contains one of
# these: "first_name", "dateOfBirth", "e-mail" and "care_health_notes" all match.
_SENSITIVE_KEY_PARTS = (
    "bsn",
    "name",
    "address",
    "birth",
    "phone",
    "email",
    "health",
    "postcode",
    "street",
    "iban",
    "medical",
    "diagnos",
)

# Operational keys that contain a sensitive part but never hold personal data. A key not
# listed here that matches is dropped: the net fails closed, and the fix is to add the
# key here (or rename it), never to weaken the parts above.
_OPERATIONAL_KEYS = frozenset(
    {
        "logger",
        "service",
        "service_name",
        "system_name",
        "queue_name",
        "exchange_name",
        "event_name",
        "consumer_name",
        "timer_name",
        "task_name",
        "route_name",
        "table_name",
        "hostname",
        "host_name",
        "filename",
        "func_name",
        "module_name",
    }
)

# Structural fields: never dropped (their values are still masked).
_STRUCTURAL_KEYS = frozenset({"event", "level", "timestamp", "logger", "service", "exception"})

_MAX_DEPTH = 8
_NON_ALNUM = re.compile(r"[^a-z0-9]")


@functools.lru_cache(maxsize=4096)
def is_sensitive_key(key: str) -> bool:
    """True when a log field named ``key`` could hold personal data and must be dropped.

    Cached: every log line asks it for each of its keys, and keys repeat."""
    if key in _OPERATIONAL_KEYS:
        return False
    normalised = _NON_ALNUM.sub("", key.lower())
    return any(part in normalised for part in _SENSITIVE_KEY_PARTS)


def _redact_scalar(value: Any) -> Any:
    """A scalar with any BSN in it masked; ``_NOT_SCALAR`` for containers and models."""
    if isinstance(value, str):
        return mask_bsns(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        # A BSN stored as a number is still a BSN.
        return BSN_MASK if 10**8 <= value < 10**9 and is_valid_bsn(str(value)) else value
    if isinstance(value, uuid.UUID | datetime | date):
        return str(value)
    return _NOT_SCALAR


_NOT_SCALAR = object()


def _redact_value(value: Any, path: str, dropped: list[str], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return "<too deep>"
    scalar = _redact_scalar(value)
    if scalar is not _NOT_SCALAR:
        return scalar
    if isinstance(value, enum.Enum):
        return _redact_value(value.value, path, dropped, depth)
    if isinstance(value, BaseModel):
        # Dumped to a dict so that the key rule applies to the model's fields.
        return _redact_value(value.model_dump(mode="json"), path, dropped, depth)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _redact_value(dataclasses.asdict(value), path, dropped, depth)
    if isinstance(value, Mapping):
        return _redact_mapping(value, path, dropped, depth + 1)
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact_value(item, path, dropped, depth + 1) for item in value]
    # Anything else would be rendered through its str/repr: mask what that shows.
    return mask_bsns(str(value))


def _redact_mapping(
    mapping: Mapping[Any, Any], path: str, dropped: list[str], depth: int
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for raw_key, value in mapping.items():
        key = str(raw_key)
        key_path = f"{path}.{key}" if path else key
        if is_sensitive_key(key):
            dropped.append(key_path)
            continue
        clean[key] = _redact_value(value, key_path, dropped, depth)
    return clean


def redact_personal_data(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """structlog processor: drop personal-data keys and mask BSNs in every value.

    The names of dropped keys (never their values) are listed under ``redacted_keys`` so
    that a developer sees why a field is missing.
    """
    dropped: list[str] = []
    clean: EventDict = {}
    for key, value in event_dict.items():
        if key not in _STRUCTURAL_KEYS and is_sensitive_key(key):
            dropped.append(key)
            continue
        # Most values are strings (ids, names of events): masked without the dispatch.
        clean[key] = (
            mask_bsns(value) if type(value) is str else _redact_value(value, key, dropped, 0)
        )
    if dropped:
        clean["redacted_keys"] = dropped
    return clean


def _drop_uvicorn_colour(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    # uvicorn passes a second, ANSI-coloured copy of its message as an "extra".
    event_dict.pop("color_message", None)
    return event_dict


class _Formatter(structlog.stdlib.ProcessorFormatter):
    """structlog's ``ProcessorFormatter`` without the copy of each record of our own lines.

    The base class copies every record before it renders it, so that it can replace the
    record's message and leave other handlers (pytest's ``caplog``) the original. For a
    line of our own (an event dict from ``wrap_for_formatter``) this one renders a copy of
    the event dict and returns the text, leaving the record as it was, so no copy of the
    record is needed: two ``LogRecord`` constructions per line become one. Lines of the
    standard library's loggers take the base class's path unchanged.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record rendered by the processors; the record itself is not changed."""
        event = record.msg
        logger = getattr(record, "_logger", None)
        method = getattr(record, "_name", None)
        if type(event) is not dict or logger is None or type(method) is not str:
            return super().format(record)
        ed: Any = dict(event)
        ed["_record"] = record
        ed["_from_structlog"] = True
        for processor in self.processors:
            ed = processor(logger, method, ed)
        if not isinstance(ed, str):  # the renderer is last; anything else is a setup error
            raise TypeError(f"the last log processor must return text, not {type(ed)}")
        return ed


def _add_service(service: str) -> Processor:
    def add_service(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)
        return event_dict

    return add_service


def configure_logging(
    service: str, level: str, json: bool, *, stream: TextIO | None = None
) -> None:
    """Route all logging of this process, ours and the libraries', through one formatter.

    ``json=False`` gives a readable console format for local work; production runs with
    JSON. Lines go to ``stream`` (standard output by default). Calling it again replaces
    the previous configuration, so tests may configure more than once.
    """
    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True)
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        timestamper,
    ]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Not cached: the service name and renderer live in the handler, which a second
        # configure_logging replaces; cached loggers would otherwise be harmless, but
        # tests configure several times per process.
        cache_logger_on_first_use=False,
    )

    output = stream if stream is not None else sys.stdout
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=output.isatty())
    )
    formatter = _Formatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(), _drop_uvicorn_colour],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _add_service(service),
            structlog.processors.format_exc_info,
            # Last before rendering, so it also sees formatted tracebacks.
            redact_personal_data,
            renderer,
        ],
    )
    handler = logging.StreamHandler(output)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)

    # No line shows where it was logged from, nor the process or thread, so the
    # standard library need not work them out for every record (the Logging HOWTO's
    # "Optimization" section names these switches; the caller look-up walks the stack
    # on every line, a sixth of a line's function calls in the issue 20 profile).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False

    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())

    for name in _ROUTED_LOGGERS:
        routed = logging.getLogger(name)
        routed.handlers.clear()
        routed.propagate = True
        routed.setLevel(logging.NOTSET)


class _Logger:
    """A module's logger that assembles its structlog logger once per configuration.

    structlog's lazy proxy assembles a new bound logger on every call (the logger
    factory, the processors, the context), and its own cache (``cache_logger_on_first_use``)
    keeps a logger on the processor list of its first use for good: a logger first used
    before ``configure_logging``, or before a test's ``structlog.reset_defaults()``, would
    then miss every later configuration, and ``structlog.testing.capture_logs`` (which
    swaps the processors of the current list in place) would not see its lines. This one
    keeps the assembled logger while the configuration holds the same processor list,
    wrapper, factory and context class, and assembles a new one when any was replaced.
    """

    __slots__ = ("_bound", "_config", "_name")

    def __init__(self, name: str | None) -> None:
        self._name = name
        self._bound: Any = None
        self._config: tuple[Any, ...] = ()

    def _current(self) -> Any:
        config = structlog.get_config()
        key = (
            config["processors"],
            config["wrapper_class"],
            config["logger_factory"],
            config["context_class"],
        )
        cached = self._config
        if (
            self._bound is None
            or len(cached) != len(key)
            or any(old is not new for old, new in zip(cached, key, strict=True))
        ):
            self._bound = structlog.stdlib.get_logger(self._name).bind()
            self._config = key
        return self._bound

    def debug(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        return self._current().debug(event, *args, **kw)

    def info(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        return self._current().info(event, *args, **kw)

    def warning(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        return self._current().warning(event, *args, **kw)

    def error(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        return self._current().error(event, *args, **kw)

    def exception(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        return self._current().exception(event, *args, **kw)

    def critical(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        return self._current().critical(event, *args, **kw)

    def __getattr__(self, name: str) -> Any:
        # bind, new, log, isEnabledFor, ...: the assembled logger's own.
        return getattr(self._current(), name)


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """A structlog logger; log with a snake_case event name and keyword fields.

    It follows ``configure_logging`` (and a test's ``capture_logs``) at any time, and
    assembles its structlog logger only when the configuration changed (see ``_Logger``).
    """
    return cast(structlog.stdlib.BoundLogger, _Logger(name))


def _present(**values: object) -> dict[str, str]:
    return {key: str(value) for key, value in values.items() if value is not None}


def bind_event_context(
    *,
    event_id: object | None = None,
    correlation_id: object | None = None,
    causation_id: object | None = None,
    event_type: str | None = None,
) -> None:
    """Bind the ids of the event being handled to every log line of this task.

    Pair with :func:`clear_context` when the message is done, or use
    :func:`event_context`, which restores the previous context itself.
    """
    structlog.contextvars.bind_contextvars(
        **_present(
            event_id=event_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
            event_type=event_type,
        )
    )


@contextmanager
def event_context(
    *,
    event_id: object | None = None,
    correlation_id: object | None = None,
    causation_id: object | None = None,
    event_type: str | None = None,
) -> Iterator[None]:
    """Bind an event's ids for the duration of a ``with`` block."""
    with structlog.contextvars.bound_contextvars(
        **_present(
            event_id=event_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
            event_type=event_type,
        )
    ):
        yield


@contextmanager
def request_context(request_id: str) -> Iterator[None]:
    """Bind an HTTP request's id for the duration of a ``with`` block."""
    with structlog.contextvars.bound_contextvars(request_id=request_id):
        yield


def clear_context() -> None:
    """Forget every id bound to this task's log lines."""
    structlog.contextvars.clear_contextvars()
