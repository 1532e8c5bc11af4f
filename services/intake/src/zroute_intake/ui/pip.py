"""The PIP in the caseworker's dossier: the decision in force and its content, its
versions, objections, the ten-week deadline's state, the term with DUO's extensions and
release, and the case's own history as a timeline. Read exactly as ``GET
/participants/{ref}/pip`` reads it (``views.pip``, ``PipOut.of``): the same scope, so
another municipality's participant answers 403."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated

from fastapi import Depends
from fastapi import Path as PathParam
from fastapi.responses import Response
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.clock import local_day
from zroute_runtime.commands import refusals
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, UiKit, api_roles

from zroute_intake.domain.pip import AmendmentReason
from zroute_intake.entrypoints.http.deps import intake_dependencies
from zroute_intake.entrypoints.http.pip_schemas import PipOut
from zroute_intake.service_layer import views

PIP_OPERATION = "GET /participants/{participant_ref}/pip"
DRAFT = "PUT /participants/{participant_ref}/pip/draft"
ESTABLISH = "POST /participants/{participant_ref}/pip/establishment"
AMEND = "POST /participants/{participant_ref}/pip/amendments"
DEADLINE_STATE = {
    "running": N_("running"),
    "due_soon": N_("due soon"),
    "paused": N_("paused while information is awaited"),
    "overdue": N_("overdue"),
    "met": N_("met"),
    "late": N_("established late"),
}
PIP_LABELS = {
    # routes
    "z_route": N_("Z-route"),
    "b1_route": N_("B1 route"),
    "education_route": N_("education route"),
    # amendment reasons
    "progress_meeting": N_("progress meeting"),
    "route_switch": N_("route switch"),
    "objection": N_("objection"),
    "move": N_("move to another municipality"),
    # objection stages and outcomes
    "appeal": N_("appeal"),
    "higher_appeal": N_("higher appeal"),
    "upheld": N_("upheld"),
    "partly_upheld": N_("partly upheld"),
    "dismissed": N_("dismissed"),
    "inadmissible": N_("inadmissible"),
    # DUO's decisions
    "not_blameworthy": N_("not blameworthy (art. 12(1)(a))"),
    "considerable_effort": N_("considerable effort (art. 12(1)(b))"),
    "exemption": N_("exemption"),
    "medical_release": N_("release on medical grounds"),
    "special_circumstances_release": N_("release for special circumstances"),
    # the case's history
    "deadline_start_recorded": N_("DUO's notice recorded: the deadline runs"),
    "information_requested": N_("information requested: the deadline waits"),
    "information_received": N_("information received"),
    "pip_draft_prepared": N_("draft prepared"),
    "pip_established": N_("PIP established"),
    "pip_amended": N_("PIP amended"),
    "objection_lodged": N_("objection lodged"),
    "objection_decided": N_("objection decided"),
    "term_extension_recorded": N_("DUO's extension of the term recorded"),
    "release_recorded": N_("DUO's exemption or release recorded"),
    # route reasons
    "low_learnability": N_("low learnability"),
    "literacy": N_("literacy"),
    "care_needs": N_("care needs"),
    "combined": N_("combined grounds"),
    "learnability_sufficient": N_("learnability sufficient"),
    "education_level": N_("level of education"),
    # exam parts the participant wishes to take (B 3.14(7))
    "a2_reading": N_("A2 reading"),
    "a2_listening": N_("A2 listening"),
    "a2_writing": N_("A2 writing"),
    "a2_speaking": N_("A2 speaking"),
    "knm": N_("knowledge of Dutch society (KNM)"),
    "withdrawn": N_("withdrawn"),
}
# Support, guidance, early-childhood agreements and attached decisions are open codes
# (``ReasonCode``): the ones in use get a label here; one that has none yet is shown
# readable (underscores as spaces) rather than as the API spells it.
OPEN_CODE_LABELS = {
    "language_buddy": N_("language buddy"),
    "social_guidance": N_("social guidance"),
    "debt_counselling": N_("debt counselling"),
    "job_coaching": N_("job coaching"),
    "childcare": N_("childcare"),
    "mentor": N_("mentor"),
    "ontzorgen_56a": N_("relief of fixed costs (Participatiewet art. 56a)"),
    "preschool": N_("preschool education"),
}


async def pip_page(
    page: Page,
    runtime: Runtime,
    ref: str,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    """The participant's PIP page (403 or 404 as the API answers); the establishment and
    amendment forms come back here with their errors (422) and the values entered."""
    deps = intake_dependencies(runtime)
    with refusals():
        async with runtime.uow() as uow:
            case, changes = await views.pip(uow, page.principal, ref)
    roles = set(page.principal.roles)
    found = PipOut.of(case, local_day(runtime.clock.now()), deps.pip_deadline, changes)
    return page.render(
        "pip.html.j2",
        ref=ref,
        pip=found,
        timeline=list(reversed(found.changes)),  # recorded oldest first
        states=DEADLINE_STATE,
        labels=PIP_LABELS | OPEN_CODE_LABELS,
        errors=errors or FormErrors(),
        values=values or {},
        may_draft=bool(api_roles("intake", DRAFT) & roles),
        may_establish=bool(api_roles("intake", ESTABLISH) & roles),
        may_amend=bool(api_roles("intake", AMEND) & roles),
        amendment_reasons=[r.value for r in AmendmentReason],
        lang_path=f"/ui/participants/{ref}/pip",
        status_code=422 if errors else 200,
    )


def add(kit: UiKit) -> None:
    Readers = Annotated[Page, Depends(kit.api_page(PIP_OPERATION))]
    Ref = Annotated[str, PathParam(pattern=PARTICIPANT_REF_PATTERN)]

    @kit.router.get("/participants/{ref}/pip")
    async def pip(ref: Ref, page: Readers, runtime: Runtime) -> Response:
        return await pip_page(page, runtime, ref)
