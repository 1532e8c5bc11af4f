"""The command a partner runs: ``python -m zroute_contract.conformance``, exit code 0 when
the service conforms, 1 when a check failed."""

from __future__ import annotations

import asyncio
import sys

from zroute_intake.bootstrap import definition
from zroute_intake.settings import Settings


async def kit_cli(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "zroute_contract.conformance", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode()


async def test_the_command_passes_a_conforming_service(services, amqp_url, name_prefix):
    settings = services.settings(Settings)
    await services.start(definition(settings), settings, http=False)

    code, out = await kit_cli(
        "--service", "intake", "--amqp-url", amqp_url, "--prefix", name_prefix,
        "--timeout", "5", "--quiet", "0.5",
    )  # fmt: skip

    assert code == 0, out
    assert "CONFORMS:" in out and "FAIL" not in out
    assert "consumed: route-completed" in out


async def test_the_command_fails_a_wrong_replacement(wrong_planning, amqp_url, name_prefix):
    code, out = await kit_cli(
        "--service", "planning", "--amqp-url", amqp_url, "--prefix", name_prefix,
        "--timeout", "2", "--quiet", "0.5",
    )  # fmt: skip

    assert code == 1, out
    assert "DOES NOT CONFORM" in out
    assert "redelivered input has no second effect" in out


async def test_the_command_says_when_the_broker_is_unreachable():
    code, out = await kit_cli("--service", "planning", "--amqp-url", "amqp://127.0.0.1:1/")
    assert code == 2
    assert "cannot run against the broker at amqp://127.0.0.1:1/" in out


async def test_the_command_does_not_print_the_password(amqp_url):
    bad = amqp_url.replace("//", "//nobody:secret-pw@", 1).replace("guest:guest@", "")
    code, out = await kit_cli("--service", "planning", "--amqp-url", bad)
    assert code == 2
    assert "cannot run against the broker" in out and "secret-pw" not in out
