"""The Z-route support service."""
