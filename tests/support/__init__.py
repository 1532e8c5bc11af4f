"""Tests of the support service."""
