"""A small HTTP load generator, run as a second process by ``intake_http.py``.

    .venv/bin/python benchmarks/_load.py URL --requests 2000 --concurrency 16 \
        [--token T] [--seed 1]

POSTs ``--requests`` intake registrations to URL from ``--concurrency`` concurrent
clients (one httpx connection each, kept alive), every body with its own valid BSN
(elfproef; ``--seed`` picks a range no other seed uses), built before the clock starts.
Prints one JSON object on stdout: requests, seconds, requests per second, latency
p50/p99/mean/max in milliseconds, and the count per status code. Its own cost is the
same for every server it loads; of the platform it borrows only the elfproef
(``zroute_runtime.privacy.is_valid_bsn``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter

import httpx
from zroute_runtime.privacy import is_valid_bsn


def bsn_for(prefix: int) -> str | None:
    """The nine-digit number passing the elfproef that starts with the eight digits of
    ``prefix``, or None when no check digit fits (the rule is the platform's own)."""
    candidates = (f"{prefix:08d}{digit}" for digit in range(10))
    return next((c for c in candidates if is_valid_bsn(c)), None)


def registration(bsn: str) -> dict:
    """The same body as tests/intake/builders.registration()."""
    return {
        "programme_id": "programme-demo",
        "municipality": "GM0363",
        "bsn": bsn,
        "given_names": "Amina",
        "family_name": "Haddad",
        "date_of_birth": "1984-03-12",
        "address": {
            "street": "Kerkstraat",
            "house_number": "12A",
            "postal_code": "1017 GB",
            "city": "Amsterdam",
        },
        "phone": "+31 6 12345678",
        "preferred_language": "ar",
        "interpreter_needed": True,
        "contact_person": {
            "staff_ref": "caseworker-anna",
            "role": "caseworker",
            "municipality": "GM0363",
        },
    }


def bodies(count: int, seed: int) -> list[bytes]:
    """``count`` bodies with distinct valid BSNs; runs with different seeds (0..89) never
    share a BSN (each seed has its own range of a million prefixes)."""
    out = []
    prefix = 10_000_000 + seed * 1_000_000
    while len(out) < count:
        bsn = bsn_for(prefix)
        prefix += 1
        if bsn is not None:
            out.append(json.dumps(registration(bsn)).encode())
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def load(url: str, payloads: list[bytes], concurrency: int, token: str | None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    queue = list(reversed(payloads))
    latencies: list[float] = []
    statuses: Counter[int] = Counter()

    async def client() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(headers=headers, limits=limits, timeout=60) as http:
            while queue:
                body = queue.pop()
                started = time.perf_counter()
                response = await http.post(url, content=body)
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[response.status_code] += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "concurrency": concurrency,
        "seconds": seconds,
        "requests_per_second": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "mean_ms": sum(latencies) / len(latencies),
        "max_ms": max(latencies),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--token", default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    payloads = bodies(args.requests, args.seed)
    print(json.dumps(asyncio.run(load(args.url, payloads, args.concurrency, args.token))))


if __name__ == "__main__":
    main()
