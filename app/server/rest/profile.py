"""Tencent's profile service, ``/v4/profile/*``: ``portrait_get`` and ``portrait_set``, for the
profile fields the service keeps — the nickname (``Tag_Profile_IM_Nick``) and the avatar URL
(``Tag_Profile_IM_Image``).

Its codes are Tencent's profile-service ones: 40001 a malformed request, 40003 no such account,
40009 a tag this service does not keep (Tencent's other standard and custom fields included),
40601 a value longer than the field allows, 40610 a value of the wrong type.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError, Profile
from app.protocol.ids import is_valid_user_id
from app.server.container import Services

from .envelope import field, ok
from .fields import strings, user_id

TAGS: Final = {"Tag_Profile_IM_Nick": "nick", "Tag_Profile_IM_Image": "face_url"}
"""Tencent's tag → the profile field it is."""
ENTRIES_MAX: Final = 20
"""Tags of one ``TagList`` or items of one ``ProfileItem``: more than there are fields, so a
repeat is harmless, but bounded."""
_BAD = ErrorCode.PROFILE_INVALID_PARAMETER


def _known(tag: str) -> str:
    if tag not in TAGS:
        raise IMError(ErrorCode.PROFILE_TAG_NOT_FOUND,
                      f"{tag}: this service keeps only " + " and ".join(TAGS))
    return TAGS[tag]


def _items(profile: Profile, tags: list[str]) -> list[dict[str, str]]:
    return [{"Tag": tag, "Value": getattr(profile, TAGS[tag])} for tag in tags]


async def portrait_get(services: Services, body: dict[str, Any]) -> Response:
    """The asked fields of each account; one that does not exist answers 40003 alone and is
    listed in ``FailAccount``."""
    user_ids = list(dict.fromkeys(strings(body, "To_Account",
                                          services.config.limits.profile_batch_max, code=_BAD)))
    tags = list(dict.fromkeys(strings(body, "TagList", ENTRIES_MAX, code=_BAD)))
    for tag in tags:
        _known(tag)
    found = {p.user_id: p for p in await services.accounts.profiles(
        [u for u in user_ids if is_valid_user_id(u)])}
    items = []
    for user in user_ids:
        if user in found:
            items.append({"To_Account": user, "ProfileItem": _items(found[user], tags),
                          "ResultCode": 0, "ResultInfo": ""})
        else:
            items.append({"To_Account": user, "ProfileItem": [],
                          "ResultCode": int(ErrorCode.PROFILE_ACCOUNT_NOT_FOUND),
                          "ResultInfo": f"no account {user!r}"})
    return ok(UserProfileItem=items, FailAccount=[u for u in user_ids if u not in found],
              ErrorDisplay="")


async def portrait_set(services: Services, body: dict[str, Any]) -> Response:
    """Set the account's fields, with the limits and the ``profile.changed`` push of the
    WebSocket's ``profile.set``: every session of the account hears of it."""
    user = user_id(body, "From_Account", code=_BAD)
    items = field(body, "ProfileItem", list, _BAD)
    if not 1 <= len(items) <= ENTRIES_MAX:
        raise IMError(_BAD, f"ProfileItem: 1–{ENTRIES_MAX} items")
    values: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise IMError(_BAD, "ProfileItem: each item is {\"Tag\", \"Value\"}")
        name = _known(field(item, "Tag", str, _BAD))
        value = item.get("Value")
        if not isinstance(value, str):
            raise IMError(ErrorCode.PROFILE_VALUE_TYPE_MISMATCH,
                          f"{item['Tag']}: the value is a string")
        values[name] = value
    await services.accounts.set_profile(
        user, values.get("nick"), values.get("face_url"), None,
        invalid=ErrorCode.PROFILE_VALUE_TOO_LONG, missing=ErrorCode.PROFILE_ACCOUNT_NOT_FOUND)
    return ok(ErrorDisplay="")
