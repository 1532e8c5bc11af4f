"""Unit tests of the support domain: plain Python, no I/O."""
