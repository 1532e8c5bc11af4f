"""``GET /participants/{participant_ref}/audit``: who did what about the participant in
support (issue 15.6: referral transitions, arrangements, placements...), for the
caseworkers and coordinators of its municipality."""

from zroute_runtime.audit_http import router as audit_router

from zroute_support.service_layer.access import ensure_participant_municipality

router = audit_router(ensure_participant_municipality)
