"""The guidance library (a later issue)."""
