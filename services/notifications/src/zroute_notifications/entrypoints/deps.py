"""Dependency aliases shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from zroute_runtime.auth import Principal, Role, require_roles

Anyone = Annotated[
    Principal,
    Depends(require_roles(Role.CASEWORKER, Role.PARTNER_STAFF, Role.COORDINATOR, Role.OPERATOR)),
]
Staff = Anyone
Managers = Annotated[Principal, Depends(require_roles(Role.COORDINATOR, Role.OPERATOR))]
Operators = Annotated[Principal, Depends(require_roles(Role.OPERATOR))]
