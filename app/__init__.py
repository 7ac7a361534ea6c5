"""Tidings: desktop messenger (app.ui), client SDK (app.sdk), IM service (app.server)."""

__version__ = "0.1.0"
