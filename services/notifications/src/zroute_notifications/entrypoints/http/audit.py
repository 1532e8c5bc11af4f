"""``GET /participants/{participant_ref}/audit``: who did what about the participant in
notifications (issue 15.6: letters, revoked links...), for the caseworkers and
coordinators of its municipality."""

from zroute_runtime.audit_http import router as audit_router

from zroute_notifications.service_layer.scope import ensure_participant

router = audit_router(ensure_participant)
