"""The web app (FastAPI, server-rendered pages, htmx vendored under static/vendor)."""
