"""Tencent's group attribute commands for the App admin: ``group_open_http_svc/modify_group_attr``
(add or replace keys), ``group_open_http_svc/clear_group_attr`` (remove every key) and
``get_group_attr`` (Tencent's path is ``group_open_attr_http_svc/get_group_attr``; it is also
served under ``group_open_http_svc``).

Bodies are Tencent's: ``{"GroupId", "GroupAttr": [{"key", "value"}]}``, and ``get_group_attr``
answers ``GroupAttrAry: [{"key", "value"}]``. The rules are ``groups.attributes``'s — the same
limits, AVChatRoom only (10033), members online told the whole set — except that the admin is no
member and is not counted against the room's write rate (a business server is trusted, and
Tencent's REST has its own per-app budget). Codes are Tencent's group-service ones: 10004 a
malformed body, 10010 no such group, 10038 over a size limit.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.server.container import Services
from app.server.groups.attributes import GroupAttributes

from .envelope import field, ok

_BAD: Final = ErrorCode.GROUP_INVALID_PARAMETER


def _attributes(services: Services) -> GroupAttributes:
    return GroupAttributes(services.db, services.bus, services.config.limits)


def _group_id(body: dict[str, Any]) -> str:
    group_id: str = field(body, "GroupId", str, _BAD)
    if not group_id:
        raise IMError(ErrorCode.INVALID_GROUP_ID, "GroupId is empty")
    return group_id


def _pairs(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in values.items()]


async def modify_group_attr(services: Services, body: dict[str, Any]) -> Response:
    group_id = _group_id(body)
    items = field(body, "GroupAttr", list, _BAD)
    most = services.config.limits.group_attr_keys_max
    if not 1 <= len(items) <= most:
        raise IMError(_BAD, f"GroupAttr: 1–{most} items")
    values: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise IMError(_BAD, 'GroupAttr: each item is {"key", "value"}')
        values[field(item, "key", str, _BAD)] = field(item, "value", str, _BAD, "")
    await _attributes(services).set(None, group_id, values)
    return ok()


async def clear_group_attr(services: Services, body: dict[str, Any]) -> Response:
    await _attributes(services).delete(None, _group_id(body), [])
    return ok()


async def get_group_attr(services: Services, body: dict[str, Any]) -> Response:
    found = await _attributes(services).get(None, _group_id(body), [])
    return ok(GroupAttrAry=_pairs(found))
