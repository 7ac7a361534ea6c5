"""The ASGI application: routes, and the lifespan that opens and closes the service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from app.protocol import ErrorCode, IMError
from app.server.config import ServerConfig
from app.server.container import Services
from app.server.gateway import Gateway
from app.server.media import routes as media
from app.server.media.service import MediaService
from app.server.media.urls import with_base_url
from app.server.origin import OriginGuard
from app.server.rest import accounts, admin
from app.server.rest.envelope import refusal


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def websocket(ws: WebSocket) -> None:
    await ws.app.state.gateway.serve(ws)


async def http_error(request: Request, exc: Exception) -> Response:
    """Requests that reach no API still get Tencent's envelope (90404)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return refusal(IMError(ErrorCode.UNKNOWN_API, f"{request.method} {request.url.path}: "
                           "no such API"), status)


def build_app(config: ServerConfig) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = await Services.open(config)
        try:
            app.state.media = await MediaService.open(config, services.db)
        except BaseException:
            await services.close()
            raise
        gateway = Gateway(config, services)
        app.state.services = services
        app.state.gateway = gateway
        gateway.start()
        try:
            yield
        finally:
            await gateway.stop()
            await services.close()

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/info", accounts.info, methods=["GET"]),
        Route("/api/register", accounts.register, methods=["POST"]),
        Route("/api/login", accounts.login, methods=["POST"]),
        # admin answers name media by this service's own URL, built from the request
        Route("/v4/{service}/{command}", with_base_url(admin.endpoint), methods=["POST"]),
        *media.ROUTES,
        WebSocketRoute("/ws", websocket),
    ]
    guard = Middleware(OriginGuard, bound_host=config.host,
                       allowed_origins=config.allowed_origins, allowed_hosts=config.allowed_hosts)
    return Starlette(routes=routes, lifespan=lifespan, middleware=[guard],
                     exception_handlers={HTTPException: http_error})
