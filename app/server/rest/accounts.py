"""The business server (L4): registration and password sign-in that hand out UserSigs, and the
public facts a client needs before it signs in."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.server.clock import now_s

from .envelope import api, client_address, field, json_object, ok, services_of


@api
async def info(request: Request) -> Response:
    services = services_of(request)
    return ok(SDKAppID=services.config.sdk_app_id,
              RegistrationOpen=services.accounts.registration_open, ServerTime=now_s())


@api
async def register(request: Request) -> Response:
    services = services_of(request)
    services.throttles.register.take(client_address(request))
    body = await json_object(request, require_json_type=True)
    accounts = services.accounts
    user_id = field(body, "UserID", str, ErrorCode.INVALID_USER_ID)
    password = field(body, "Password", str, ErrorCode.PASSWORD_TOO_WEAK, default="")
    nick = field(body, "Nick", str, ErrorCode.INVALID_PARAMETER, default="")
    await accounts.register(user_id, password, nick)
    sig, expire_at = accounts.issue_sig(user_id)
    return ok(UserID=user_id, UserSig=sig, ExpireAt=expire_at)


@api
async def login(request: Request) -> Response:
    """Guessing is slowed twice: per address (one machine trying many accounts) and per account
    for failures only (many machines trying one account; its owner signing in is not counted)."""
    services = services_of(request)
    throttles = services.throttles
    throttles.login.take(client_address(request))
    body = await json_object(request, require_json_type=True)
    accounts = services.accounts
    user_id = field(body, "UserID", str, ErrorCode.WRONG_CREDENTIALS, default="")
    password = field(body, "Password", str, ErrorCode.WRONG_CREDENTIALS, default="")
    throttles.login_failures.check(user_id)
    try:
        await accounts.check_password(user_id, password)
    except IMError as error:
        if error.code == ErrorCode.WRONG_CREDENTIALS:
            throttles.login_failures.spend(user_id)
        raise
    sig, expire_at = accounts.issue_sig(user_id)
    return ok(UserID=user_id, UserSig=sig, ExpireAt=expire_at)
