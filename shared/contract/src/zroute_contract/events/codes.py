"""The code lists events use instead of free text.

Every value on the bus that describes a person's situation is a code from one of
these lists, so that consumers can act on it, integrators can map it, and nothing a
caseworker typed (which may hold names or health details) travels on the bus.

Within a major version a list only grows. A code is added to the contract before any
producer sends it, and consumers take the new contract first: a consumer on an older
contract rejects (dead-letters) an event with a code it does not know rather than
misread it.
"""

from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, StringConstraints, WithJsonSchema


def one_of(*members: StrEnum) -> Any:
    """A field type admitting only some codes of one list.

    The value parses to the enum member as usual, and the JSON Schema lists just the
    admitted values, so an integrator sees the restriction too.
    """
    allowed = tuple(members)
    expected = ", ".join(member.value for member in allowed)

    def check(value: StrEnum) -> StrEnum:
        if value not in allowed:
            raise ValueError(f"not admitted here; expected one of {expected}")
        return value

    schema = {"type": "string", "enum": [member.value for member in allowed]}
    return Annotated[type(allowed[0]), AfterValidator(check), WithJsonSchema(schema)]


class LanguageLevel(StrEnum):
    """Dutch language level on the CEFR scale as far as the Z-route goes (A0 is pre-A1)."""

    A0 = "A0"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"


class Literacy(StrEnum):
    """Literacy in any script, as the broad intake assessed it.

    ``not_alphabetised`` is niet-gealfabetiseerd (never learned to read and write in
    any script); ``latin_script_learner`` reads and writes another script and is
    learning the Latin one.
    """

    LITERATE = "literate"
    LOW_LITERATE = "low_literate"
    NOT_ALPHABETISED = "not_alphabetised"
    LATIN_SCRIPT_LEARNER = "latin_script_learner"


class LearnabilityBand(StrEnum):
    """Learnability (leerbaarheid) band from the learnability test at intake."""

    VERY_LOW = "very_low"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class LevelBand(StrEnum):
    """The level band a group is formed on (one band per group).

    ``alpha`` groups participants still learning to read and write (alfabetisering)
    whatever their spoken level; the others are the language level itself.
    """

    ALPHA = "alpha"
    A0 = "a0"
    A1 = "a1"
    A2 = "a2"
    B1 = "b1"


class LifeDomain(StrEnum):
    """The life domains of the broad intake (brede intake)."""

    LANGUAGE_LITERACY = "language_literacy"
    HEALTH_PHYSICAL = "health_physical"
    HEALTH_PSYCHOLOGICAL = "health_psychological"
    FINANCES = "finances"
    HOUSING = "housing"
    FAMILY_CHILDCARE = "family_childcare"
    TRANSPORT_MOBILITY = "transport_mobility"
    WORK_DAYTIME = "work_daytime"
    SOCIAL_NETWORK = "social_network"


HEALTH_DOMAINS = frozenset({LifeDomain.HEALTH_PHYSICAL, LifeDomain.HEALTH_PSYCHOLOGICAL})
"""Life domains whose needs are health details: they travel only on addressed events."""

# The domains a public event may name: one list of values, while the JSON Schema of a
# public event shows that health cannot appear in it.
PublicLifeDomain = one_of(*(domain for domain in LifeDomain if domain not in HEALTH_DOMAINS))


class NeedSeverity(StrEnum):
    """How much support a life domain needs."""

    NONE = "none"
    LIGHT = "light"
    MODERATE = "moderate"
    SEVERE = "severe"


class Goal(StrEnum):
    """A goal recorded in the PIP (personal integration and participation plan)."""

    LANGUAGE_SELF_RELIANCE = "language_self_reliance"
    HEALTH_SELF_RELIANCE = "health_self_reliance"
    FINANCIAL_SELF_RELIANCE = "financial_self_reliance"
    DIGITAL_SKILLS = "digital_skills"
    SOCIAL_PARTICIPATION = "social_participation"
    VOLUNTEERING = "volunteering"
    DAYTIME_ACTIVITY = "daytime_activity"
    PAID_WORK = "paid_work"
    EDUCATION = "education"


class Route(StrEnum):
    """The learning route of the Wet inburgering 2021; this platform runs the Z-route."""

    Z_ROUTE = "z_route"
    B1_ROUTE = "b1_route"
    EDUCATION_ROUTE = "education_route"


class RouteReason(StrEnum):
    """Why the intake chose the route (for the Z-route: why B1 and education are out of reach)."""

    LOW_LEARNABILITY = "low_learnability"
    LITERACY = "literacy"
    CARE_NEEDS = "care_needs"
    COMBINED = "combined"
    LEARNABILITY_SUFFICIENT = "learnability_sufficient"
    EDUCATION_LEVEL = "education_level"


class CorrectionReason(StrEnum):
    """Why intake data was corrected after the intake was completed."""

    DATA_ENTRY_ERROR = "data_entry_error"
    NEW_INFORMATION = "new_information"
    REASSESSMENT = "reassessment"


class TransportMode(StrEnum):
    """The kind of transport a participant needs to reach sessions."""

    PUBLIC_TRANSPORT_PASS = "public_transport_pass"
    BICYCLE = "bicycle"
    GROUP_TRANSPORT = "group_transport"
    ACCESSIBLE_TRANSPORT = "accessible_transport"
    ACCOMPANIED_TRAVEL = "accompanied_travel"


class CareCategory(StrEnum):
    """The kind of care a care signal or a referral is about.

    A health detail: it travels on addressed events only.
    """

    PHYSICAL_CARE = "physical_care"
    MENTAL_HEALTH_CARE = "mental_health_care"
    DEBT_FINANCE = "debt_finance"


class Urgency(StrEnum):
    """How soon a referral must be acted on (the FHIR request priority codes)."""

    ROUTINE = "routine"
    URGENT = "urgent"
    ASAP = "asap"
    STAT = "stat"


class ConsentPurpose(StrEnum):
    """What a participant consented to (toestemming), recorded per purpose."""

    CARE_REFERRAL = "care_referral"
    PARTNER_SHARING = "partner_sharing"


class WithdrawalReason(StrEnum):
    """Why a participant left the route before completing it."""

    MOVED = "moved"
    EXEMPTED = "exempted"
    STOPPED = "stopped"
    DECEASED = "deceased"
    OTHER = "other"


class DeletedRecords(StrEnum):
    """What intake deleted of a participant when a retention period ended (B 9.9)."""

    PERSONAL_DATA = "personal_data"
    """Five years after the obligation ended: the personal data and free text; the
    pseudonymous core data stays."""
    CORE_DATA = "core_data"
    """At most 50 years after the obligation ended: everything about the participant."""


class ContactRole(StrEnum):
    """The function of a participant's fixed contact person (vast aanspreekpunt)."""

    CASEWORKER = "caseworker"
    PARTNER_COACH = "partner_coach"
    CARE_COORDINATOR = "care_coordinator"


class AssignmentReason(StrEnum):
    """Why a contact person was assigned."""

    FIRST_ASSIGNMENT = "first_assignment"
    HANDOVER = "handover"
    ABSENCE_COVER = "absence_cover"


class AttendeeRole(StrEnum):
    """The role in which a partner attends the broad intake."""

    LANGUAGE_PARTNER = "language_partner"
    PARTICIPATION_PARTNER = "participation_partner"
    CARE_PARTNER = "care_partner"
    INTERPRETER = "interpreter"
    COORDINATOR = "coordinator"


class InterpreterMode(StrEnum):
    """How an interpreter takes part."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


class InterpreterAppointment(StrEnum):
    """The appointment an interpreter is requested for (issue 17 item 6, issue 18 item 4)."""

    INTAKE = "intake"
    PROGRESS_MEETING = "progress_meeting"
    # The first appointment of a care partner with the participant on an accepted
    # referral (issue 18 item 4), named by the referral's id.
    REFERRAL_INTAKE = "referral_intake"


class InterpreterWithdrawReason(StrEnum):
    """Why support withdrew an interpreter request it had sent to the interpreter partner
    (issue 18 item 4): the partner need not interpret at the time it was asked for."""

    # The appointment moved to another time; the new time is asked anew.
    APPOINTMENT_MOVED = "appointment_moved"
    # The appointment no longer needs an interpreter, or was called off.
    NOT_NEEDED = "not_needed"
    # The task division now names another interpreter partner for the appointment's day.
    PARTNER_CHANGED = "partner_changed"
    # The participant left the route (intake withdrawn or cancelled).
    PARTICIPANT_WITHDRAWN = "participant_withdrawn"
    # The referral whose intake it was is no longer open (cancelled, reassigned, ...).
    REFERRAL_WITHDRAWN = "referral_withdrawn"


class BookingStatus(StrEnum):
    """State of an interpreter booking."""

    REQUESTED = "requested"
    BOOKED = "booked"
    CONFIRMED = "confirmed"


class PartnerCapability(StrEnum):
    """What an execution partner (uitvoeringspartner) can do."""

    LANGUAGE_TEACHING = "language_teaching"
    KNM = "knm"
    PARTICIPATION_WORKPLACES = "participation_workplaces"
    PHYSICAL_CARE = "physical_care"
    MENTAL_HEALTH_CARE = "mental_health_care"
    DEBT_FINANCE = "debt_finance"
    CHILDCARE = "childcare"
    TRANSPORT = "transport"
    INTERPRETING = "interpreting"
    JOB_COACHING = "job_coaching"


class RouteTask(StrEnum):
    """A task of the route that a task-division agreement gives to one partner.

    Care referral is a task per care category, so that each category has its own
    responsible care partner.
    """

    INTAKE = "intake"
    LANGUAGE_TEACHING = "language_teaching"
    KNM = "knm"
    MAP = "map"
    PARTICIPATION_PLACEMENT = "participation_placement"
    JOB_COACHING = "job_coaching"
    CARE_REFERRAL_PHYSICAL = "care_referral_physical"
    CARE_REFERRAL_MENTAL_HEALTH = "care_referral_mental_health"
    CARE_REFERRAL_DEBT_FINANCE = "care_referral_debt_finance"
    CHILDCARE = "childcare"
    TRANSPORT = "transport"
    INTERPRETER = "interpreter"
    PROGRESS_CONSULTATION = "progress_consultation"
    FOLLOW_UP = "follow_up"


class CurriculumModule(StrEnum):
    """A module of the plan: the core curriculum for everyone plus customised ones (maatwerk).

    ``knm`` is kennis van de Nederlandse maatschappij, ``map`` the module arbeidsmarkt
    en participatie, ``pvt`` the participatieverklaringstraject.
    """

    LANGUAGE = "language"
    KNM = "knm"
    MAP = "map"
    PVT = "pvt"
    LITERACY = "literacy"
    HEALTH_SKILLS = "health_skills"
    DIGITAL_SKILLS = "digital_skills"
    FINANCIAL_SELF_RELIANCE = "financial_self_reliance"
    WORK_SKILLS = "work_skills"


class TeachingForm(StrEnum):
    """How a session is taught (varied per week, lesson L10)."""

    CLASSROOM = "classroom"
    PRACTICE_OUTSIDE = "practice_outside"
    DIGITAL = "digital"
    WORKPLACE_LEARNING = "workplace_learning"
    KNM = "knm"


class SessionChangeReason(StrEnum):
    """Why a dated session of the calendar was cancelled or moved (issue 16)."""

    STAFF_ILL = "staff_ill"
    STAFF_LEAVE = "staff_leave"
    NO_SUBSTITUTE = "no_substitute"
    ROOM_UNAVAILABLE = "room_unavailable"
    CLOSURE = "closure"
    TOO_FEW_PARTICIPANTS = "too_few_participants"
    PLANNER_DECISION = "planner_decision"
    OTHER = "other"


class HoursKind(StrEnum):
    """The target an hour counts toward."""

    LANGUAGE = "language"
    PARTICIPATION = "participation"
    KNM = "knm"
    MAP = "map"


class AttendanceStatus(StrEnum):
    """Whether the participant attended a session."""

    PRESENT = "present"
    ABSENT_WITH_REASON = "absent_with_reason"
    ABSENT_WITHOUT_REASON = "absent_without_reason"


class Weekday(StrEnum):
    """Day of the week (ISO order)."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


class DayPart(StrEnum):
    """Part of the day (dagdeel)."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class PauseReason(StrEnum):
    """Why planning paused a participant's schedule."""

    PRECONDITION_LAPSED = "precondition_lapsed"
    CARE = "care"
    PARTICIPANT_REQUEST = "participant_request"
    OTHER = "other"


# A participant's pause of the route (issue 15) is for care or at their own request; the
# ground (illness, pregnancy, treatment, a care admission) is a health detail and stays in
# intake.
CasePauseReason = one_of(PauseReason.CARE, PauseReason.PARTICIPANT_REQUEST)


class WaitReason(StrEnum):
    """Why a participant is on the waiting list for a group."""

    NO_GROUP_AT_LEVEL = "no_group_at_level"
    NO_AVAILABILITY_OVERLAP = "no_availability_overlap"
    TOO_FEW_AT_LEVEL = "too_few_at_level"
    PRECONDITION_MISSING = "precondition_missing"


class GroupChangeReason(StrEnum):
    """Why a participant joined or left a group."""

    FORMATION = "formation"
    JOINED = "joined"
    REPLANNED = "replanned"
    LEVEL_CHANGED = "level_changed"
    WITHDRAWN = "withdrawn"
    PAUSED = "paused"
    COMPLETED = "completed"


class ModuleChange(StrEnum):
    """What happened to a customised module of a plan (issue 16 item 4)."""

    ADDED = "added"
    REMOVED = "removed"
    COMPLETED = "completed"


class ParticipationActivity(StrEnum):
    """The kind of participation activity a placement is for."""

    WORK_EXPERIENCE = "work_experience"
    VOLUNTEERING = "volunteering"
    WORKPLACE_LEARNING = "workplace_learning"
    JOB_ORIENTATION = "job_orientation"


class PlacementSupport(StrEnum):
    """Support a participant needs on a placement."""

    JOB_COACH = "job_coach"
    LANGUAGE_SUPPORT = "language_support"
    ADAPTED_WORKPLACE = "adapted_workplace"
    INTERPRETER = "interpreter"
    TRANSPORT = "transport"


class PlacementCancelReason(StrEnum):
    """Why planning cancelled a placement request."""

    PARTICIPANT_WITHDRAWN = "participant_withdrawn"
    PLAN_PAUSED = "plan_paused"
    PLAN_CHANGED = "plan_changed"


class ReviewTrigger(StrEnum):
    """What made a progress review fall due."""

    SCHEDULED = "scheduled"
    LOW_ATTENDANCE = "low_attendance"
    REQUESTED = "requested"


class ReviewOutcome(StrEnum):
    """The conclusion of a progress review (voortgangsgesprek)."""

    ON_TRACK = "on_track"
    PLAN_ADJUSTED = "plan_adjusted"
    AT_RISK = "at_risk"
    ROUTE_CHANGE_ADVISED = "route_change_advised"


class FollowUpType(StrEnum):
    """What a participant goes on to after the route (vervolgtraject, lesson L15)."""

    PAID_WORK = "paid_work"
    EDUCATION = "education"
    VOLUNTEERING = "volunteering"
    DAYTIME_ACTIVITY = "daytime_activity"
    SHELTERED_WORK = "sheltered_work"
    CARE_TRAJECTORY = "care_trajectory"


class FollowUpTask(StrEnum):
    """One concrete agreement of a follow-up: who does what."""

    FIRST_MEETING = "first_meeting"
    WARM_HANDOVER = "warm_handover"
    JOB_COACHING = "job_coaching"
    LANGUAGE_MAINTENANCE = "language_maintenance"
    CHILDCARE_CONTINUED = "childcare_continued"
    TRANSPORT_CONTINUED = "transport_continued"
    CHECK_IN = "check_in"


class ReferralStatus(StrEnum):
    """Status of a referral, the HL7 FHIR Task status codes used for closed-loop referrals."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    FAILED = "failed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ReferralSide(StrEnum):
    """Who set a referral status: the referrer (the contact person), the care partner, or a rule."""

    REFERRER = "referrer"
    PERFORMER = "performer"
    SYSTEM = "system"


class ReferralCancelReason(StrEnum):
    """Why a referral was cancelled."""

    CONSENT_WITHDRAWN = "consent_withdrawn"
    PARTICIPANT_WITHDRAWN = "participant_withdrawn"
    REFERRER_CANCELLED = "referrer_cancelled"
    NO_LONGER_NEEDED = "no_longer_needed"
    REASSIGNED = "reassigned"


class PreconditionKind(StrEnum):
    """A practical condition that must be arranged before the route starts (lesson L14).

    The kinds are configurable data (issue 17): childcare and transport keep their own
    codes here, every other configured kind (a digital device, a medical aid) travels as
    ``other`` with its configured code in a separate ``code`` field (``PreconditionCode``),
    so that consumers on an older contract keep reading childcare and transport.
    """

    CHILDCARE = "childcare"
    TRANSPORT = "transport"
    OTHER = "other"


# The code of a configured precondition kind (``childcare``, ``transport``,
# ``digital_device``, ...): a short snake_case code, never free text; the producer checks
# it against its configuration.
PRECONDITION_CODE_PATTERN = r"^[a-z][a-z0-9_]{1,39}$"
PreconditionCode = Annotated[
    str, StringConstraints(pattern=PRECONDITION_CODE_PATTERN, min_length=2, max_length=40)
]


def precondition_kind(code: str) -> PreconditionKind:
    """The ``kind`` an event carries for a precondition ``code``: its own for childcare and
    transport, ``other`` for every other configured kind."""
    if code in (PreconditionKind.CHILDCARE.value, PreconditionKind.TRANSPORT.value):
        return PreconditionKind(code)
    return PreconditionKind.OTHER


class LapseReason(StrEnum):
    """Why an arranged precondition no longer holds."""

    ENDED = "ended"
    SCHEDULE_NOT_COVERED = "schedule_not_covered"
    PARTNER_STOPPED = "partner_stopped"
    PARTICIPANT_STOPPED = "participant_stopped"


class CheckInParty(StrEnum):
    """Who a job coach checked in with."""

    PARTICIPANT = "participant"
    EMPLOYER = "employer"


class CheckInOutcome(StrEnum):
    """How a job-coach check-in went."""

    ON_TRACK = "on_track"
    SUPPORT_INCREASED = "support_increased"
    CONCERNS = "concerns"
    PLACEMENT_AT_RISK = "placement_at_risk"


class Channel(StrEnum):
    """How the notifications service reaches a recipient."""

    EMAIL = "email"
    WEBHOOK = "webhook"
    INBOX = "inbox"


class RecipientRole(StrEnum):
    """A recipient as the communication matrix names it (resolved to a person per event)."""

    CONTACT_PERSON = "contact_person"
    CASEWORKER = "caseworker"
    LEAD_PARTNER = "lead_partner"
    RESPONSIBLE_PARTNER = "responsible_partner"
    CARE_PARTNER = "care_partner"
    JOB_COACH = "job_coach"
    JOB_COACH_PARTNER = "job_coach_partner"
    EMPLOYER = "employer"
    SUBSCRIBER = "subscriber"
    OPERATOR = "operator"
    PARTICIPANT = "participant"
    """Added within v1 (issue 18): the participant, by e-mail where intake holds an address."""


class Timing(StrEnum):
    """When the communication matrix sends a message for an event."""

    IMMEDIATE = "immediate"
    DAILY_DIGEST = "daily_digest"
    WEEKLY_DIGEST = "weekly_digest"
    REMINDER = "reminder"


class MessageLanguage(StrEnum):
    """Language a message was written in. Added within v1 (issue 18): the participant
    catalogues' languages, for the participant's own messages (Dari is written with the
    Persian catalogue, ``fa``)."""

    NL = "nl"
    EN = "en"
    AR = "ar"
    TI = "ti"
    FA = "fa"
    TR = "tr"
    UK = "uk"
    SO = "so"


class DeliveryFailure(StrEnum):
    """Why a delivery failed for good."""

    RECIPIENT_UNRESOLVED = "recipient_unresolved"
    SMTP_REJECTED = "smtp_rejected"
    SMTP_UNAVAILABLE = "smtp_unavailable"
    WEBHOOK_GONE = "webhook_gone"
    WEBHOOK_REJECTED = "webhook_rejected"
    WEBHOOK_UNAVAILABLE = "webhook_unavailable"
    NOT_AUTHORISED = "not_authorised"
    RETRIES_EXHAUSTED = "retries_exhausted"


class PipAmendmentReason(StrEnum):
    """Why a new version of the PIP (the college's decision, W 15) was established."""

    PROGRESS_MEETING = "progress_meeting"
    ROUTE_SWITCH = "route_switch"
    OBJECTION = "objection"
    MOVE = "move"


class TermExtensionGround(StrEnum):
    """Why DUO extended the integration term (W 12(1))."""

    NOT_BLAMEWORTHY = "not_blameworthy"
    CONSIDERABLE_EFFORT = "considerable_effort"


class ObligationReleaseKind(StrEnum):
    """DUO's decision that ends the obligation early: exemption (W 4) or release (W 5)."""

    EXEMPTION = "exemption"
    MEDICAL_RELEASE = "medical_release"
    SPECIAL_CIRCUMSTANCES_RELEASE = "special_circumstances_release"


class PersonalDataField(StrEnum):
    """Which of a participant's personal data changed after registration (the values stay
    in intake; an event names the field only)."""

    ADDRESS = "address"
    PHONE = "phone"
    PREFERRED_LANGUAGE = "preferred_language"
    INTERPRETER_NEEDED = "interpreter_needed"
    EMAIL = "email"
    """Added within v1 (issue 18): the participant's own e-mail address."""


class IntakeCancelReason(StrEnum):
    """Why a scheduled broad intake was called off without a new time (issue 17)."""

    PARTICIPANT_UNAVAILABLE = "participant_unavailable"
    PARTICIPANT_REQUEST = "participant_request"
    INTERPRETER_UNAVAILABLE = "interpreter_unavailable"
    STAFF_UNAVAILABLE = "staff_unavailable"
    SCHEDULED_IN_ERROR = "scheduled_in_error"
    OTHER = "other"


class PersonalDataChangeReason(StrEnum):
    """Why a participant's personal data was changed after registration."""

    MOVED_WITHIN_MUNICIPALITY = "moved_within_municipality"
    NEW_CONTACT_DETAILS = "new_contact_details"
    LANGUAGE_PROGRESS = "language_progress"
    PARTICIPANT_REQUEST = "participant_request"
    RECORDING_ERROR = "recording_error"


class ReEnrolmentReason(StrEnum):
    """Why a withdrawn participant was put back on the route."""

    MISTAKEN_WITHDRAWAL = "mistaken_withdrawal"
    """The withdrawal was recorded by mistake (wrong participant, wrong reason)."""
    WITHDRAWAL_REVOKED = "withdrawal_revoked"
    """The participant did not leave after all (within the window the settings allow)."""


class IntakeStage(StrEnum):
    """How far a participant on the route has got in intake."""

    REGISTERED = "registered"
    INTAKE_SCHEDULED = "intake_scheduled"
    INTAKE_COMPLETED = "intake_completed"


class MeetingRole(StrEnum):
    """In which role someone attended a progress meeting or the final meeting."""

    PARTICIPANT = "participant"
    CASEWORKER = "caseworker"
    LANGUAGE_PARTNER = "language_partner"
    PARTICIPATION_PARTNER = "participation_partner"
    CARE_PARTNER = "care_partner"
    JOB_COACH = "job_coach"
    INTERPRETER = "interpreter"
    CONFIDANT = "confidant"
    """Someone the participant brought along."""


class MeetingDecision(StrEnum):
    """What a progress meeting decided about the PIP."""

    UNCHANGED = "unchanged"
    AMENDED = "amended"
    ROUTE_SWITCH = "route_switch"
