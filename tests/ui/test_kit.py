"""The kit's rules without a server: claim mapping, session lifetime, the catalogue."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from zroute_runtime.auth import Role
from zroute_ui.i18n import catalogue_ids, missing
from zroute_ui.kit import safe_next
from zroute_ui.oidc import LoginFailed, map_claims
from zroute_ui.session import SessionStore, new_session
from zroute_ui.settings import UiSettings
from zroute_ui.testing import ROLE_MAP

SECRET = "s" * 40


def settings(**changes) -> UiSettings:
    values = {
        "ui_session_secret": SECRET,
        "ui_claim_roles": "groups",
        "ui_role_map": ROLE_MAP,
    }
    return UiSettings(**(values | changes))


def test_provider_groups_map_to_platform_roles_and_unknown_ones_are_ignored():
    principal = map_claims(
        {"sub": "u1", "groups": ["zroute-klantmanager", "wiki-editors"], "municipality": "GM0363"},
        settings(),
    )
    assert principal.roles == {Role.CASEWORKER} and principal.municipality == "GM0363"


def test_an_account_with_no_mapped_role_or_partner_staff_without_partner_is_refused():
    with pytest.raises(LoginFailed):
        map_claims({"sub": "u1", "groups": ["wiki-editors"]}, settings())
    with pytest.raises(LoginFailed):
        map_claims({"sub": "u1", "groups": ["zroute-partner"]}, settings())
    # Without a map, a provider value counts only when it is a platform role's name.
    plain = settings(ui_role_map={}, ui_claim_roles="roles")
    assert map_claims({"sub": "u1", "roles": ["operator", "x"]}, plain).roles == {Role.OPERATOR}


def test_a_session_ends_after_its_lifetime_or_when_idle_and_a_forgery_is_refused():
    store = SessionStore("intake", settings(ui_session_max_age_s=3600, ui_session_idle_s=600))
    fresh = new_session(map_claims({"sub": "u1", "groups": ["zroute-regie"]}, settings()))
    sign = store._sessions.dumps
    assert store.load(sign(fresh.to_data())) == fresh
    idle = replace(fresh, seen_at=time.time() - 601)
    assert store.load(sign(idle.to_data())) is None
    old = replace(fresh, logged_in_at=time.time() - 3601)
    assert store.load(sign(old.to_data())) is None
    other = SessionStore("intake", settings(ui_session_secret="t" * 40))
    assert store.load(other._sessions.dumps(fresh.to_data())) is None
    # Another service's cookie does not open this one's pages, even with the same key.
    assert store.load(SessionStore("planning", settings())._sessions.dumps(fresh.to_data())) is None


def test_a_short_session_secret_is_refused():
    with pytest.raises(ValueError, match="32 bytes"):
        settings(ui_session_secret="short")


def test_after_login_only_paths_on_the_screens_are_followed():
    assert safe_next("/ui/caseload?page=2") == "/ui/caseload?page=2"
    for bad in ("https://evil.example/", "//evil.example/ui/", "/docs", "/ui\\..\\x", None):
        assert safe_next(bad) == "/ui/"


def test_every_string_of_the_screens_is_in_both_catalogues_and_dutch_is_translated():
    assert missing() == {"nl": [], "en": []}
    dutch = catalogue_ids("nl")
    untranslated = [m for m, t in dutch.items() if not t]
    assert untranslated == []
    assert dutch["Sign out"] == "Uitloggen"


def test_a_pages_roles_come_from_the_access_matrix():
    from zroute_runtime.auth import Role
    from zroute_ui import api_roles, service_roles

    assert api_roles("planning", "POST /group-formations") == {Role.COORDINATOR, Role.PARTNER_STAFF}
    assert api_roles("support", "GET /waiting-list", "POST /partners") == {
        Role.COORDINATOR,
        Role.CASEWORKER,
        Role.OPERATOR,
    }
    # Partner staff read intake's contact card (issue 18), so intake has a start page for them.
    assert service_roles("intake") == {
        Role.CASEWORKER,
        Role.COORDINATOR,
        Role.OPERATOR,
        Role.PARTNER_STAFF,
    }
    for unknown in ("GET /no-such-operation", "GET /health"):  # absent, or public
        with pytest.raises(LookupError):
            api_roles("planning", unknown)


def test_the_menu_lists_each_services_main_screens_the_users_roles_admit():
    from zroute_runtime.auth import Principal
    from zroute_ui.kit import UiKit
    from zroute_ui.navigation import SCREENS

    urls = {s: f"https://{s}.example" for s in ("intake", "planning", "support", "notifications")}
    kit = UiKit("planning", settings(ui_service_urls=urls), screens=SCREENS["planning"])

    def menu(*roles: Role, partner: str | None = None) -> dict[str, list[str]]:
        who = Principal("someone", frozenset(roles), partner_id=partner)
        return {name: [href for _t, href in links] for name, _l, _u, links in kit.navigation(who)}

    caseworker = menu(Role.CASEWORKER)
    assert "https://intake.example/ui/caseload" in caseworker["intake"]
    assert "https://planning.example/ui/plans" in caseworker["planning"]
    assert "https://support.example/ui/referrals" in caseworker["support"]
    assert "https://notifications.example/ui/dead-letters" not in caseworker["notifications"]
    teacher = menu(Role.PARTNER_STAFF, partner="taalschool")
    # the contact card is an API call, no screen of intake: no empty heading in the menu
    assert "intake" not in teacher
    assert "https://planning.example/ui/groups" in teacher["planning"]
    operator = menu(Role.OPERATOR)
    assert operator["notifications"][-1] == "https://notifications.example/ui/dead-letters"
    assert operator["planning"] == []
    assert kit.navigation(None)[0][3] == []


def test_a_day_is_read_as_day_month_year_as_a_dutch_form_asks_it():
    """Issue 19: date fields ask day-month-year (dd-mm-jjjj), read on the server; the ISO
    form (links, values on file) is read too, and what is no day is refused."""
    from datetime import date

    from zroute_ui.forms import iso_day, parse_day, shown_day

    for typed in (
        "12-01-2027",
        "12-1-2027",
        "12/01/2027",
        "12.01.2027",
        "12 01 2027",
        " 2027-01-12 ",
    ):
        assert parse_day(typed) == date(2027, 1, 12), typed
    for typed in ("", "morgen", "31-02-2027", "01-31-2027", "12-01-27", "2027-13-01", None):
        assert parse_day(typed) is None, typed
    assert iso_day("12-01-2027") == "2027-01-12"
    assert iso_day(" morgen ") == "morgen"  # the field's own check refuses it
    assert shown_day("2027-01-12") == shown_day(date(2027, 1, 12)) == "12-01-2027"
    assert shown_day("morgen") == "morgen" and shown_day(None) == ""


def test_no_staff_screen_asks_a_day_with_the_browsers_date_input():
    """``<input type="date">`` shows the browser's format (mm/dd/yyyy in an American
    browser) whatever the page's language: every staff screen asks a day through the kit's
    date field. The participant's own page (notifications' second factor) is no staff
    screen: it is written in the participant's language, the phone's own."""
    from pathlib import Path

    root = Path(__file__).parents[2]
    templates = [
        *root.glob("services/*/src/*/ui/templates/*.j2"),
        *root.glob("shared/ui/src/zroute_ui/templates/*.j2"),
    ]
    assert templates
    found = [
        str(t.relative_to(root))
        for t in templates
        if t.name != "participant_second_factor.html.j2"
        and ('type="date"' in t.read_text() or "type='date'" in t.read_text())
    ]
    assert found == []


def test_dari_is_named_from_the_one_alias_the_letters_hold():
    """Dari is ``prs`` (ISO 639-3) and ``fa_AF`` in CLDR: the screens name it through the
    letters package's mapping (``babel_locale``), the one place that holds it."""
    import zroute_ui.i18n as i18n
    from zroute_letters.formatting import babel_locale

    assert babel_locale("prs") == "fa_AF"
    assert i18n.language_name("prs", "nl") == "Dari"
    assert (
        i18n.language_name("ar", "nl") == "Arabisch" and i18n.language_name("ar", "en") == "Arabic"
    )
    assert not hasattr(i18n, "CLDR_ALIASES")
