"""Olive Branch: a private, honest coach for the weeks after a breakup."""

__version__ = "0.1.0"
