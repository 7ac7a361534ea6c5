"""Reading the fields of admin (``/v4``) request bodies, shared by the command modules.

Each helper returns the value checked or raises the refusal, with the invalid-parameter code of
the calling command's service (70402 for ``im_open_login_svc`` and ``openim``, 40001 for
``profile``) and a message naming the field. Numbers are bounded before they go anywhere near
the database, which holds 64-bit integers: a JSON number past that is a refusal, never an
overflow inside a query.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.protocol.ids import is_valid_user_id

from .envelope import JSONReply, field

BAD: Final = ErrorCode.INVALID_PARAMETER
UINT32_MAX: Final = 2**32 - 1
"""MsgRandom and times in seconds are Tencent's 32-bit unsigned integers."""
SEQ_MAX: Final = 2**63 - 1


def integer(body: dict[str, Any], name: str, low: int, high: int, *,
            default: int | None = None, code: ErrorCode = BAD) -> int:
    value: int = field(body, name, int, code, default)
    if not low <= value <= high:
        raise IMError(code, f"{name}: expected an integer from {low} to {high}")
    return value


def user_id(body: dict[str, Any], name: str, default: str | None = None, *,
            code: ErrorCode = BAD) -> str:
    value: str = field(body, name, str, code, default)
    if not is_valid_user_id(value):
        raise IMError(code, f"{name}: invalid UserID {value!r}: use 1–32 bytes of letters, "
                      "digits, '_' and '-'")
    return value


def optional_str(body: dict[str, Any], name: str) -> str | None:
    """A field that, when absent, leaves the stored value as it is."""
    return None if body.get(name) is None else field(body, name, str, BAD)


def strings(body: dict[str, Any], name: str, most: int, *, code: ErrorCode = BAD) -> list[str]:
    """A list of 1–``most`` strings (UserIDs, tags); whether each is a valid one is the
    command's business, item by item."""
    items = field(body, name, list, code)
    if not 1 <= len(items) <= most:
        raise IMError(code, f"{name}: 1–{most} items")
    if not all(isinstance(item, str) for item in items):
        raise IMError(code, f"{name}: a list of strings")
    return items


def user_items(body: dict[str, Any], name: str, most: int) -> list[tuple[Any, str | None]]:
    """Tencent's ``[{"UserID": …}]`` item lists: each item's ``UserID`` as sent (for the answer
    to echo) and as a string, None when the item has none, so that one bad item fails alone."""
    items = field(body, name, list, BAD)
    if not 1 <= len(items) <= most:
        raise IMError(BAD, f"{name}: 1–{most} items")
    out: list[tuple[Any, str | None]] = []
    for item in items:
        sent = item.get("UserID") if isinstance(item, dict) else None
        out.append((sent, sent if isinstance(sent, str) else None))
    return out


def failed(error: IMError, **fields: Any) -> Response:
    """A refusal that still carries an answer's fields (a batch that reached no receiver)."""
    return JSONReply({"ActionStatus": "FAIL", "ErrorCode": int(error.code),
                      "ErrorInfo": error.detail, **fields})
