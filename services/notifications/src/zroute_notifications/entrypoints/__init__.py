"""The notifications service's entry points: the HTTP API (``http``), one router per
resource."""
