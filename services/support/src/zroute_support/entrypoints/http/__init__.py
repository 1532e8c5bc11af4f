"""The support service's HTTP API: one router per resource."""
