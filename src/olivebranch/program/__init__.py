"""The reconciliation framework as pure, deterministic code.

Nothing in this package reads a clock, a file or the network: every function
takes the person's answers, their dated events and the moment to judge at.
"""
