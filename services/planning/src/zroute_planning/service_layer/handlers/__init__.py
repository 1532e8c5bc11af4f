"""Planning's handlers, one module per source or feature: events of intake
(``intake``), support (``support``) and the registries (``registry``); the commands and
timers of placements, the hours ledger and reviews, follow-up and completion, group
formation and the published week. ``bootstrap`` binds them to their events and timers;
the HTTP routers call the commands."""
