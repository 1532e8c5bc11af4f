"""The participant's personal page (issue 18), reached through a signed, expiring link
and no login: the link is the key. Every use of a link is logged (``page_link_used``) with
the link id and the outcome only (no reference, no name, nothing shown); a forged or
malformed token has no link id of ours, so it is logged as ``-``. Opening a page writes
nothing to the database.

What the page shows is what a finder of a lost letter could see: the participant's own
week, the next appointment and whom to call. Nothing else of theirs is in this service.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

from zroute_letters import links
from zroute_letters.catalogue import DUTCH
from zroute_letters.content import LetterContent
from zroute_letters.letter import Page, languages_of, page
from zroute_letters.speech import Audio, SpeechUnavailable, render_week_audio, spoken_language
from zroute_runtime.logging import get_logger

from zroute_notifications.domain import second_factor
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.participant import language_of, letter_content
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

log = get_logger(__name__)

OK: Final = "ok"
UNKNOWN: Final = "unknown"
# The answer to each refusal: a forged or unknown link is not found, a link that was
# ours but expired or was revoked is gone.
STATUS: Final = {
    OK: 200,
    links.Rejection.MALFORMED.value: 404,
    links.Rejection.BAD_SIGNATURE.value: 404,
    UNKNOWN: 404,
    links.Rejection.EXPIRED.value: 410,
    links.Rejection.REVOKED.value: 410,
}


@dataclass(frozen=True)
class Opened:
    """A link's use: the outcome, and whose page it opens when it is ``ok``."""

    outcome: str
    participant_ref: str | None = field(default=None, repr=False)
    link_id: str | None = None

    @property
    def status(self) -> int:
        return STATUS[self.outcome]


@dataclass(frozen=True)
class PageView:
    """Everything the page template shows."""

    pages: tuple[Page, ...]
    messages: list[dict[str, Any]]
    audio_language: str | None
    has_week: bool


async def open_link(uow: NotificationsUnitOfWork, deps: Deps, token: str) -> Opened:
    """Check a token (signature, expiry, revocation) and log its use."""
    now, link_id = uow.clock.now(), "-"
    try:
        link = links.verify(token, deps.settings.page_link_keys(), now)
    except links.LinkRejected as refused:
        opened = Opened(refused.reason.value)
        if refused.reason in (links.Rejection.EXPIRED, links.Rejection.REVOKED):
            link_id = token.split(".")[1]  # signed by us: a real link id
    else:
        link_id = link.link_id
        row = await uow.participants.link(link.link_id)
        if row is None:
            opened = Opened(UNKNOWN)
        elif row["revoked_at"] is not None:
            opened = Opened(links.Rejection.REVOKED.value)
        else:
            opened = Opened(OK, row["participant_ref"], link.link_id)
    # The log line is the record of the use: a table row would make every refused
    # request (anyone may type a URL) a write to the database.
    log.info("page_link_used", link_id=link_id, outcome=opened.outcome)
    return opened


async def content_of(
    uow: NotificationsUnitOfWork, deps: Deps, opened: Opened
) -> LetterContent | None:
    """The week, appointment and contact of the participant whose link was opened."""
    if opened.participant_ref is None:
        return None
    return await letter_content(uow, deps, opened.participant_ref, page_url="")


async def view(
    uow: NotificationsUnitOfWork, deps: Deps, token: str
) -> tuple[Opened, PageView | None]:
    """Open the link and gather the page; no page for a refused link."""
    opened = await open_link(uow, deps, token)
    return opened, await view_of(uow, deps, opened)


async def view_of(uow: NotificationsUnitOfWork, deps: Deps, opened: Opened) -> PageView | None:
    """The page of an opened link; None for a refused one."""
    content = await content_of(uow, deps, opened)
    if content is None or opened.participant_ref is None:
        return None
    cats = deps.catalogues
    languages = languages_of(content, cats)
    pages = tuple(page(content, lang, cats, lang == languages[-1]) for lang in languages)
    rows = await uow.participants.messages(opened.participant_ref)
    return PageView(
        pages=pages,
        messages=[dict(r) for r in rows],
        audio_language=spoken_language(content.language) if content.sessions else None,
        has_week=bool(content.sessions),
    )


async def week_audio(
    uow: NotificationsUnitOfWork, deps: Deps, token: str, session: str | None = None
) -> tuple[Opened, Audio | None]:
    """The week spoken (espeak-ng), in the participant's language where it can; None for
    a refused link, a participant without a week, or a page still behind its second
    factor."""
    opened = await open_link(uow, deps, token)
    if asks_second_factor(uow, deps, opened, session):
        return opened, None
    content = await content_of(uow, deps, opened)
    if content is None or not content.sessions:
        return opened, None
    try:
        return opened, await asyncio.to_thread(render_week_audio, content, deps.catalogues)
    except SpeechUnavailable:
        log.warning("speech_unavailable")
        return opened, None


# -- the second factor (issue 18) ------------------------------------------------------
async def language_of_opened(uow: NotificationsUnitOfWork, opened: Opened) -> str:
    """The language the opened link's participant reads (Dutch when not known)."""
    if opened.participant_ref is None:
        return DUTCH
    return await language_of(uow, opened.participant_ref)


SESSION_COOKIE: Final = "zr_page_session"
RIGHT, WRONG, LOCKED, UNAVAILABLE, ASKED = "right", "wrong", "locked", "unavailable", "asked"


def asks_second_factor(
    uow: NotificationsUnitOfWork, deps: Deps, opened: Opened, session: str | None
) -> bool:
    """True when the setting asks for the date of birth and this link has no session yet
    (logged as the link's use, without personal data)."""
    if deps.settings.page_second_factor != "date_of_birth" or opened.link_id is None:
        return False
    keys = deps.settings.page_link_keys()
    if second_factor.session_valid(keys, opened.link_id, session, uow.clock.now()):
        return False
    log.info("page_second_factor", link_id=opened.link_id, outcome=ASKED)
    return True


@dataclass(frozen=True)
class Answered:
    """The outcome of a date of birth typed on the page: ``right`` with the session
    cookie's value, else ``wrong`` (with the answers left), ``locked`` or
    ``unavailable``."""

    outcome: str
    session: str | None = field(default=None, repr=False)
    left: int = 0


async def answer_second_factor(
    uow: NotificationsUnitOfWork, deps: Deps, opened: Opened, answer: str
) -> Answered:
    """Check a typed date of birth with intake (only yes or no comes back), count a
    wrong one, lock the link after too many; log the outcome with the link id only."""
    assert opened.link_id is not None and opened.participant_ref is not None
    now = uow.clock.now()
    attempts = await uow.participants.attempts(opened.link_id)
    if attempts.locked(now):
        answered = Answered(LOCKED)
    else:
        matches = (
            await deps.people.date_of_birth_matches(opened.participant_ref, answer)
            if deps.people is not None
            else None
        )
        answered = await _settle_answer(uow, deps, opened.link_id, attempts, matches)
    log.info("page_second_factor", link_id=opened.link_id, outcome=answered.outcome)
    return answered


async def _settle_answer(
    uow: NotificationsUnitOfWork,
    deps: Deps,
    link_id: str,
    attempts: second_factor.Attempts,
    matches: bool | None,
) -> Answered:
    settings, now = deps.settings, uow.clock.now()
    if matches is None:
        return Answered(UNAVAILABLE)
    if matches:
        await uow.participants.save_attempts(link_id, second_factor.Attempts(), now)
        ttl = timedelta(minutes=settings.page_session_minutes)
        key = settings.page_link_keys()[0]
        return Answered(RIGHT, second_factor.session_cookie(key, link_id, now, ttl))
    limit = settings.page_second_factor_attempts
    after = attempts.after_failure(
        now, limit, timedelta(minutes=settings.page_second_factor_lock_minutes)
    )
    await uow.participants.save_attempts(link_id, after, now)
    return Answered(LOCKED if after.locked(now) else WRONG, left=after.left(limit))
