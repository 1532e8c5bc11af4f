"""``GET /participants/{participant_ref}/audit``: who did what about the participant in
intake (issue 15.6), for the caseworkers and coordinators of its municipality."""

from zroute_runtime.audit_http import router as audit_router

from zroute_intake.service_layer import views


async def _in_scope(uow, principal, participant_ref: str) -> None:  # type: ignore[no-untyped-def]
    await views.participant(uow, principal, participant_ref)


router = audit_router(_in_scope)
