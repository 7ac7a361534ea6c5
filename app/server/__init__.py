"""The Tidings IM service: a WebSocket gateway, a Tencent-style REST API and a durable store.

Run it with ``python -m app.server`` (or the ``tidings-server`` command). ``build_app`` in
``app.py`` returns the ASGI application; ``runner.serving`` runs it in-process for tests.
"""
