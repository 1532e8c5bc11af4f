"""Structured logs: JSON lines with the event and request ids, and no personal data."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import structlog
from pydantic import BaseModel
from zroute_runtime.auth import Role, issue_token
from zroute_runtime.logging import (
    bind_event_context,
    clear_context,
    configure_logging,
    event_context,
    get_logger,
    is_sensitive_key,
)

from tests.runtime.http_fixtures import local_settings, probe_app, serve

EVENT_ID = "0f4f3c1e-8f3b-4a0e-9a51-3d6c2b1e9f00"
CORRELATION_ID = "7b0e5a0c-5a4f-4c55-8b8e-2f9a3e1d2c11"


LineReader = Callable[[], list[dict[str, Any]]]


@contextmanager
def captured_logs(*, as_json: bool = True) -> Iterator[io.StringIO]:
    """Configure logging into a buffer for the block, then restore the previous setup."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    buffer = io.StringIO()
    configure_logging("probe", "DEBUG", json=as_json, stream=buffer)
    try:
        yield buffer
    finally:
        clear_context()
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        structlog.reset_defaults()


def json_lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line]


@pytest.fixture
def log_output() -> Iterator[LineReader]:
    """Logging configured into a buffer; a reader of the JSON lines written so far."""
    with captured_logs() as buffer:
        yield lambda: json_lines(buffer)


def only(lines: list[dict[str, Any]], event: str) -> dict[str, Any]:
    matching = [line for line in lines if line["event"] == event]
    assert len(matching) == 1, lines
    return matching[0]


def test_our_lines_are_json_with_the_bound_event_ids(log_output) -> None:
    bind_event_context(
        event_id=EVENT_ID,
        correlation_id=CORRELATION_ID,
        causation_id=EVENT_ID,
        event_type="nl.zroute.intake.intake-completed.v1",
    )
    get_logger("zroute_probe").info("event_handled", attempt=1)

    line = only(log_output(), "event_handled")
    assert line["event_id"] == EVENT_ID
    assert line["correlation_id"] == CORRELATION_ID
    assert line["causation_id"] == EVENT_ID
    assert line["event_type"] == "nl.zroute.intake.intake-completed.v1"
    assert line["service"] == "probe"
    assert line["level"] == "info"
    assert line["logger"] == "zroute_probe"
    assert line["attempt"] == 1
    assert line["timestamp"].endswith("Z")


def test_library_lines_through_stdlib_logging_come_out_as_json_with_context() -> None:
    # FastStream installs a handler of its own and stops propagation; we take it back.
    faststream_logger = logging.getLogger("faststream")
    faststream_logger.addHandler(logging.StreamHandler(io.StringIO()))
    faststream_logger.propagate = False

    with captured_logs() as buffer:
        with event_context(event_id=EVENT_ID, correlation_id=CORRELATION_ID):
            logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
            faststream_logger.warning("consumer %s stopped", "probe")
        lines = json_lines(buffer)

    uvicorn_line = only(lines, "Started server process [42]")
    assert uvicorn_line["logger"] == "uvicorn.error"
    assert uvicorn_line["event_id"] == EVENT_ID
    assert "color_message" not in uvicorn_line
    faststream_line = only(lines, "consumer probe stopped")
    assert faststream_line["correlation_id"] == CORRELATION_ID
    assert faststream_line["level"] == "warning"


def test_event_context_is_dropped_when_the_block_ends(log_output) -> None:
    log = get_logger("zroute_probe")
    with event_context(event_id=EVENT_ID):
        log.info("inside")
    log.info("outside")
    lines = log_output()
    assert only(lines, "inside")["event_id"] == EVENT_ID
    assert "event_id" not in only(lines, "outside")


def test_a_valid_bsn_and_personal_keys_are_redacted(log_output) -> None:
    class Participant(BaseModel):
        ref: str
        first_name: str

    get_logger("zroute_probe").info(
        "participant_seen 111222333",
        name="Jan Jansen",
        dateOfBirth="1990-01-01",
        note="called about bsn 123456782 today",
        reference=111222333,
        order_number="123456789",
        contact={"e-mail": "jan@example.org", "channel": "phone-free"},
        participant=Participant(ref="zr-0123", first_name="Jan"),
        queue_name="zroute.planning",
    )
    line = only(log_output(), "participant_seen *********")
    text = json.dumps(line)
    assert "Jan" not in text and "jan@example.org" not in text and "1990" not in text
    assert "111222333" not in text and "123456782" not in text
    assert line["note"] == "called about bsn ********* today"
    assert line["reference"] == "*********"
    assert line["order_number"] == "123456789"  # fails the elfproef: not a BSN
    assert line["contact"] == {"channel": "phone-free"}
    assert line["participant"] == {"ref": "zr-0123"}
    assert line["queue_name"] == "zroute.planning"
    assert sorted(line["redacted_keys"]) == sorted(
        ["name", "dateOfBirth", "contact.e-mail", "participant.first_name"]
    )


def test_a_bsn_in_a_traceback_is_masked(log_output) -> None:
    try:
        raise ValueError("no participant for 111222333")
    except ValueError:
        get_logger("zroute_probe").exception("handler_failed")
    line = only(log_output(), "handler_failed")
    assert "111222333" not in line["exception"]
    assert "no participant for *********" in line["exception"]


def test_identifiers_with_digit_runs_are_not_mistaken_for_a_bsn(log_output) -> None:
    # 111222333 inside a hex id: neighbours are letters, so it is no stand-alone number.
    ref = "zr-ab111222333cd0000000000000000000"
    get_logger("zroute_probe").info("ref_seen", participant_ref=ref)
    assert only(log_output(), "ref_seen")["participant_ref"] == ref


@pytest.mark.parametrize(
    ("key", "sensitive"),
    [
        ("bsn", True),
        ("name", True),
        ("last_name", True),
        ("home_address", True),
        ("birth_date", True),
        ("phoneNumber", True),
        ("email", True),
        ("health_notes", True),
        ("queue_name", False),
        ("event_id", False),
        ("routing_key", False),
        ("partner_id", False),
    ],
)
def test_the_key_rule(key: str, sensitive: bool) -> None:
    assert is_sensitive_key(key) is sensitive


def test_the_console_format_redacts_too() -> None:
    with captured_logs(as_json=False) as buffer:
        get_logger("zroute_probe").info("seen", email="jan@example.org", note="111222333")
    text = buffer.getvalue()
    assert "seen" in text
    assert "jan@example.org" not in text and "111222333" not in text


async def test_lines_written_while_serving_a_request_carry_its_request_id(log_output) -> None:
    settings = local_settings()
    token = issue_token(settings, "staff-1", [Role.CASEWORKER])
    async with serve(probe_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.get(
            "/cases", headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-42"}
        )
    assert response.status_code == 200
    lines = log_output()
    assert only(lines, "cases_listed")["request_id"] == "req-42"
    completed = only(lines, "http_request_completed")
    assert completed["request_id"] == "req-42"
    assert completed["route"] == "/cases"
    assert completed["status"] == 200
    assert {"service_starting", "service_started", "service_stopped"} <= {
        line["event"] for line in lines
    }


def test_a_module_logger_follows_every_configuration_after_its_first_line() -> None:
    # Module loggers keep their assembled structlog logger between lines (issue 20); a
    # logger used before logging is configured, or across a reconfiguration, must still
    # write where the configuration of the moment says.
    log = get_logger("zroute_probe_module")
    with captured_logs() as first:
        log.info("first_line")
    with captured_logs() as second:
        log.info("second_line")
        log.bind(attempt=2).info("bound_line")
    assert [line["event"] for line in json_lines(first)] == ["first_line"]
    assert [line["event"] for line in json_lines(second)] == ["second_line", "bound_line"]
    assert only(json_lines(second), "bound_line")["attempt"] == 2


def test_capture_logs_sees_a_module_logger_already_used_under_the_service_configuration() -> None:
    # What blocked cached loggers before: a logger cached under configure_logging's
    # processors was invisible to structlog.testing.capture_logs (a notifications test).
    from structlog.testing import capture_logs

    log = get_logger("zroute_probe_capture")
    with captured_logs():
        log.info("under_the_service_configuration")
        with capture_logs() as captured:
            log.info("captured_line", outcome="ok")
        log.info("after_the_capture")
    assert [entry["event"] for entry in captured] == ["captured_line"]
    with capture_logs() as after_reset:
        log.info("after_reset_defaults")
    assert [entry["event"] for entry in after_reset] == ["after_reset_defaults"]


def test_rendering_our_line_leaves_the_record_for_other_handlers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The formatter renders our lines without copying the record, so it must not change
    # the record either: pytest's caplog (another handler) still gets the event dict.
    caplog.set_level(logging.INFO)
    with captured_logs() as buffer:
        get_logger("zroute_probe").info("seen_twice", bsn="111222333", count=3)
    line = only(json_lines(buffer), "seen_twice")
    assert "bsn" not in line and line["redacted_keys"] == ["bsn"]
    [record] = [r for r in caplog.records if r.name == "zroute_probe"]
    assert isinstance(record.msg, dict) and record.msg["event"] == "seen_twice"
    assert record.msg["count"] == 3 and "_record" not in record.msg
