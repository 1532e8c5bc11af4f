"""The Z-route screens' shared kit: layout and navigation across the four services, the
OpenID Connect login and signed sessions, forms with an error summary, tables,
pagination, flash messages and the translation catalogue (Dutch by default, English)."""

from zroute_ui.access import api_roles, service_roles
from zroute_ui.forms import FormErrors, iso_day, parse_day
from zroute_ui.i18n import N_
from zroute_ui.kit import CSRF_FIELD, Page, Pagination, Refused, Screen, UiKit
from zroute_ui.settings import UiSettings

__all__ = [
    "CSRF_FIELD",
    "N_",
    "FormErrors",
    "Page",
    "Pagination",
    "Refused",
    "Screen",
    "UiKit",
    "UiSettings",
    "api_roles",
    "iso_day",
    "parse_day",
    "service_roles",
]
