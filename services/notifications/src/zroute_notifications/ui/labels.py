"""The codes the notification screens show, each through its label in the catalogue
(issue 19: no code shown as the configuration or the database spells it)."""

from zroute_ui import N_

STATUS = {
    "pending": N_("waiting"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "not_sent": N_("not sent"),
}
CHANNEL = {"email": N_("email"), "inbox": N_("inbox"), "webhook": N_("webhook")}
# DeliveryFailure's codes (zroute_contract), shown through their labels (issue 19).
FAILURE = {
    "recipient_unresolved": N_("recipient unknown"),
    "smtp_rejected": N_("refused by the mail server"),
    "smtp_unavailable": N_("mail server unavailable"),
    "webhook_gone": N_("webhook no longer exists"),
    "webhook_rejected": N_("refused by the webhook"),
    "webhook_unavailable": N_("webhook unavailable"),
    "not_authorised": N_("not authorised"),
    "retries_exhausted": N_("retries exhausted"),
}

TIMING = {
    "immediate": N_("immediately"),
    "daily_digest": N_("in the daily digest"),
    "weekly_digest": N_("in the weekly digest"),
    "reminder": N_("as a reminder"),
}
ROLE = {
    "care_partner": N_("care partner"),
    "contact_person": N_("contact person"),
    "employer": N_("employer"),
    "job_coach": N_("job coach"),
    "job_coach_partner": N_("job coach's partner"),
    "lead_partner": N_("lead partner"),
    "responsible_partner": N_("responsible partner"),
    "subscriber": N_("webhook subscriber"),
}
# The matrix's tasks and the date fields a reminder counts back from, through their
# labels (issue 19: no code shown as the configuration spells it).
MATRIX_WORDS = {
    "intake": N_("intake"),
    "language_teaching": N_("language teaching"),
    "participation_placement": N_("participation placement"),
    "participation_workplaces": N_("participation workplaces"),
    "knm": N_("knowledge of Dutch society"),
    "agree_by": N_("the day to agree by"),
    "due_on": N_("the due date"),
    "needed_by": N_("the day it is needed"),
    "starts_at": N_("the start"),
}
KINDS = {
    "staff": N_("staff member"),
    "partner": N_("partner"),
    "employer": N_("employer"),
    "operator": N_("operator"),
}
