"""The web app (a later issue)."""
