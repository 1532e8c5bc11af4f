"""``GET /participants/{participant_ref}/audit``: who did what about the participant in
planning (issue 15.6: attendance, reviews, follow-ups, completion...), for the
caseworkers and coordinators of its municipality."""

from zroute_contract.errors import Forbidden
from zroute_runtime.audit_http import router as audit_router


async def _in_scope(uow, principal, participant_ref: str) -> None:  # type: ignore[no-untyped-def]
    scope = principal.municipality_scope()
    if scope is not None and await uow.reads.municipality_of(participant_ref) not in (None, scope):
        raise Forbidden("this participant belongs to another municipality")


router = audit_router(_in_scope)
