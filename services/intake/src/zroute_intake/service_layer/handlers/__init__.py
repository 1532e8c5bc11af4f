"""Intake's handlers, one module per feature: participants (registration, withdrawal, the
route's end and the erasure of personal data), intakes, contact persons, consents and the
PIP.

Each runs inside one unit of work (:class:`~zroute_intake.service_layer.unit_of_work.
IntakeUnitOfWork`): it loads through a repository, applies one rule of the aggregate and
saves; the unit of work collects the events the aggregates collected and writes them to
the outbox at commit, with any timer, together or not at all. Handlers never commit and
never publish.
"""
