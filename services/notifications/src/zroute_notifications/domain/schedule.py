"""When digests go out and reminders fall: local times computed from the clock."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from zroute_contract.events.codes import Timing


def digest_period(timing: Timing, now: datetime, tz: ZoneInfo) -> str:
    """The period an event received ``now`` belongs to: a day or an ISO week."""
    local = now.astimezone(tz).date()
    if timing is Timing.DAILY_DIGEST:
        return local.isoformat()
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def digest_due(timing: Timing, period: str, tz: ZoneInfo, hour: int, weekday: int) -> datetime:
    """When the digest of ``period`` goes out: the next day, or the next week's
    ``weekday``, at ``hour`` local time."""
    if timing is Timing.DAILY_DIGEST:
        day = date.fromisoformat(period) + timedelta(days=1)
    else:
        year, week = period.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
        day = monday + timedelta(days=7 + weekday)
    return datetime.combine(day, time(hour), tz)


def reminder_due(
    deadline: date | datetime, days: int, hour: int, tz: ZoneInfo, now: datetime
) -> datetime:
    """``days`` before the deadline at ``hour`` local time; now when that has passed."""
    day = deadline.astimezone(tz).date() if isinstance(deadline, datetime) else deadline
    moment = datetime.combine(day - timedelta(days=days), time(hour), tz)
    return max(moment, now)


def next_occurrence(rhythm: str, now: datetime, tz: ZoneInfo, hour: int, weekday: int) -> datetime:
    """The next daily or weekly moment at ``hour`` local time after ``now``."""
    local = now.astimezone(tz)
    candidate = datetime.combine(local.date(), time(hour), tz)
    if rhythm == "weekly":
        candidate += timedelta(days=(weekday - local.weekday()) % 7)
        if candidate <= now:
            candidate += timedelta(days=7)
    elif candidate <= now:
        candidate += timedelta(days=1)
    return candidate


def timer_payload(payload: object) -> dict[str, str]:
    """A timer's payload as a dict: the runtime hands jsonb over as its JSON text
    (asyncpg has no jsonb codec set on the pool), so decode it when it is a string."""
    import json

    decoded: object = json.loads(payload) if isinstance(payload, str | bytes) else payload
    if not isinstance(decoded, dict):
        raise ValueError("a timer's payload is a JSON object")
    return {str(k): str(v) for k, v in decoded.items()}
