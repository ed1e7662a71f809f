"""Safety: support resources by region (the free-text screen comes later)."""
