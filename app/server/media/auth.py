"""Who is calling the media API: ``Authorization: Bearer <UserSig>``.

The sig names its own user and app, so the request needs nothing else. It is checked exactly as
a WebSocket login checks it (``usersig.verify`` with the service's key, app and lifetime
limits), and the account must exist: a deleted account's sig, valid as it may still be, reads
nothing. Unlike a login this never creates the account — fetching a file is no first sign-in.
"""

from __future__ import annotations

from starlette.requests import Request

from app.protocol import ErrorCode, IMError, usersig
from app.protocol.ids import is_valid_user_id
from app.server.container import Services


def bearer_sig(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise IMError(ErrorCode.SIG_INVALID, "send the UserSig as 'Authorization: Bearer <sig>'")
    return token


async def caller(request: Request, services: Services) -> str:
    """The verified UserID of the request's sig; IMError with the sig's 700xx code (or 70107
    for an account that does not exist) otherwise."""
    sig = bearer_sig(request)
    user_id = usersig.decode_unverified(sig).get("TLS.identifier")
    if not is_valid_user_id(user_id):
        raise IMError(ErrorCode.SIG_INVALID, "the UserSig names no valid UserID")
    assert isinstance(user_id, str)
    config = services.config
    usersig.verify(sig, config.sdk_app_id, config.secret_key, user_id,
                   max_lifetime_s=config.sig_max_lifetime_s)
    if not await services.accounts.existing([user_id]):
        raise IMError(ErrorCode.ACCOUNT_NOT_FOUND, f"no account {user_id!r}")
    return user_id
