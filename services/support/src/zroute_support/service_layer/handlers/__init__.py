"""Support's handlers: one module per event source (intake, planning) or feature
(referrals, placements, preconditions, the waiting list, the registry, routing)."""
