"""Tencent's account service, ``/v4/im_open_login_svc/*``: import, check, delete, kick.

Batches answer per item, as Tencent's do: an item that is malformed (70402) or names no
account (70107) fails alone, the others are carried out; only a list that is missing, empty or
longer than ``ITEMS_MAX`` refuses the request.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode
from app.protocol.ids import is_valid_user_id
from app.server.container import Services

from .envelope import field, ok
from .fields import BAD, optional_str, strings, user_id, user_items

ITEMS_MAX: Final = 100
_NO_USER_ID = "the item needs a UserID string"


def _result(sent: Any, code: ErrorCode, info: str = "") -> dict[str, Any]:
    return {"UserID": sent, "ResultCode": int(code),
            "ResultInfo": info or (code.message if code else "")}


async def account_import(services: Services, body: dict[str, Any]) -> Response:
    await services.accounts.import_account(field(body, "UserID", str, BAD),
                                           optional_str(body, "Nick"),
                                           optional_str(body, "FaceUrl"))
    return ok()


async def multiaccount_import(services: Services, body: dict[str, Any]) -> Response:
    """``Accounts``: UserIDs to create; the ones that cannot be accounts come back in
    ``FailAccounts``, existing ones are left as they are."""
    failed = await services.accounts.import_accounts(strings(body, "Accounts", ITEMS_MAX))
    return ok(FailAccounts=failed)


async def account_check(services: Services, body: dict[str, Any]) -> Response:
    items = user_items(body, "CheckItem", ITEMS_MAX)
    found = await services.accounts.existing([u for _, u in items if u is not None])
    results = []
    for sent, user in items:
        if user is None:
            results.append({**_result(sent, BAD, _NO_USER_ID), "AccountStatus": "NotImported"})
        else:
            results.append({**_result(sent, ErrorCode.OK),
                            "AccountStatus": "Imported" if user in found else "NotImported"})
    return ok(ResultItem=results)


async def account_delete(services: Services, body: dict[str, Any]) -> Response:
    items = user_items(body, "DeleteItem", ITEMS_MAX)
    deleted = await services.accounts.delete([u for _, u in items if u is not None])
    results = []
    for sent, user in items:
        if user is None:
            results.append(_result(sent, BAD, _NO_USER_ID))
        elif user in deleted:
            results.append(_result(sent, ErrorCode.OK))
            deleted.discard(user)  # a second item naming it finds no account any more
        elif not is_valid_user_id(user):
            results.append(_result(sent, ErrorCode.ACCOUNT_NOT_FOUND,
                                   f"{user!r} cannot be a UserID"))
        else:
            results.append(_result(sent, ErrorCode.ACCOUNT_NOT_FOUND))
    return ok(ResultItem=results)


async def kick(services: Services, body: dict[str, Any]) -> Response:
    await services.devices.kick_all(user_id(body, "UserID"))
    return ok()
