"""The Z-route intake service."""
