"""The service's own absolute media URLs (``<base>/media/<uuid>``), as the admin API answers
them in Tencent's shapes, and the recognition of such URLs sent back in.

The base is the URL the admin request itself came to, so an answer names the address its caller
reaches the service by (behind a proxy too). Admin commands receive the body, not the request,
so the endpoint is wrapped to make the base available to the command while it runs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

from starlette.requests import Request
from starlette.responses import Response

_base_url: ContextVar[str] = ContextVar("media_base_url", default="")
_OWN_URL = re.compile(r"(?:^|/)media/([0-9a-fA-F]{64})/?(?:[?#].*)?$")


def with_base_url(endpoint: Callable[[Request], Awaitable[Response]]
                  ) -> Callable[[Request], Awaitable[Response]]:
    @functools.wraps(endpoint)
    async def wrapped(request: Request) -> Response:
        token = _base_url.set(str(request.base_url).rstrip("/"))
        try:
            return await endpoint(request)
        finally:
            _base_url.reset(token)

    return wrapped


def media_url(uuid: str) -> str:
    """The absolute URL of held content for the request being answered."""
    return f"{_base_url.get()}/media/{uuid}"


def uuid_in_url(url: str) -> str:
    """The digest a ``…/media/<sha256>`` URL names (lowercased), else ""."""
    found = _OWN_URL.search(url) if len(url) < 2048 else None
    return found.group(1).lower() if found else ""
