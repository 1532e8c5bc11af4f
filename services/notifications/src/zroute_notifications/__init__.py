"""The Z-route notifications service."""
