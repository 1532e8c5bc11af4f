"""Runs the Z-route system end to end on this machine (``./run demo``)."""
