"""The planning service's screens under ``/ui/``: for now the start page, behind the login,
for the roles its API serves (the screens of issue 19 are added here as they land)."""

from __future__ import annotations

from fastapi import APIRouter
from zroute_runtime.auth import Role
from zroute_ui import UiKit, UiSettings

START_ROLES = (Role.CASEWORKER, Role.COORDINATOR, Role.PARTNER_STAFF)


def router(settings: UiSettings) -> APIRouter:
    return UiKit("planning", settings, start_roles=START_ROLES).build()
