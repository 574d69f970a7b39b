"""Models of this module (built by its own issue)."""
