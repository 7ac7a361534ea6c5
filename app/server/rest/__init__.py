"""HTTP APIs: the business server for the desktop app (``/api``) and the Tencent-style admin
REST API (``/v4``). Both answer with Tencent's envelope (ActionStatus, ErrorCode, ErrorInfo)."""
