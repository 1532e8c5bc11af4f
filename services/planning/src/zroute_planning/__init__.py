"""The Z-route planning service."""
