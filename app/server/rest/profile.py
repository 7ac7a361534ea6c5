"""Tencent's profile service, ``/v4/profile/*``: ``portrait_get`` and ``portrait_set`` for
every standard field of §3.1 and the custom ones (``Tag_Profile_Custom_<name>``).

Tags and values are Tencent's: strings for the text fields, 32-bit unsigned integers for
``BirthDay``, ``Language``, ``Level`` and ``Role``, and the enums' names (``Gender_Type_Male``,
``AllowType_Type_NeedConfirm``, ``AdminForbid_Type_SendOut``…). Its codes are Tencent's
profile-service ones: 40001 a malformed request or a value out of range, 40003 no such account,
40009 a tag this service does not keep, 40601 a value too long, 40610 a value of the wrong
type. ``portrait_get`` leaves out custom fields that were never set, as Tencent does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.protocol.commands import ProfileSetReq
from app.protocol.friends import AdminForbidType, AllowType, Gender, Profile
from app.protocol.ids import is_valid_user_id
from app.server.container import Services

from .envelope import field, ok
from .fields import strings, user_id

CUSTOM_PREFIX: Final = "Tag_Profile_Custom_"
ENTRIES_MAX: Final = 40
"""Tags of one ``TagList`` or items of one ``ProfileItem``: the standard fields and the custom
ones a profile may hold."""
_BAD = ErrorCode.PROFILE_INVALID_PARAMETER


@dataclass(frozen=True, slots=True)
class Tag:
    field: str
    kind: type
    names: dict[str, int] | None = None
    """Enums travel as these names."""


def _names(prefix: str, enum: type[Gender | AllowType | AdminForbidType],
           spelled: dict[str, str]) -> dict[str, int]:
    return {prefix + spelled[m.name]: int(m) for m in enum}


TAGS: Final = {
    "Tag_Profile_IM_Nick": Tag("nick", str),
    "Tag_Profile_IM_Image": Tag("face_url", str),
    "Tag_Profile_IM_SelfSignature": Tag("self_signature", str),
    "Tag_Profile_IM_Location": Tag("location", str),
    "Tag_Profile_IM_BirthDay": Tag("birthday", int),
    "Tag_Profile_IM_Language": Tag("language", int),
    "Tag_Profile_IM_Level": Tag("level", int),
    "Tag_Profile_IM_Role": Tag("role", int),
    "Tag_Profile_IM_Gender": Tag("gender", str, _names(
        "Gender_Type_", Gender, {"UNKNOWN": "Unknown", "MALE": "Male", "FEMALE": "Female"})),
    "Tag_Profile_IM_AllowType": Tag("allow_type", str, _names(
        "AllowType_Type_", AllowType,
        {"ALLOW_ANY": "AllowAny", "NEED_CONFIRM": "NeedConfirm", "DENY_ANY": "DenyAny"})),
    "Tag_Profile_IM_AdminForbidType": Tag("admin_forbid_type", str, _names(
        "AdminForbid_Type_", AdminForbidType, {"NONE": "None", "SEND_OUT": "SendOut"})),
}
"""Tencent's standard tags → the profile field each is."""


def _tag(tag: str) -> Tag | None:
    """The standard tag, or None for a custom one; 40009 for any other."""
    if tag in TAGS:
        return TAGS[tag]
    if tag.startswith(CUSTOM_PREFIX) and tag != CUSTOM_PREFIX:
        return None
    raise IMError(ErrorCode.PROFILE_TAG_NOT_FOUND, f"{tag}: not a profile field this service "
                  f"keeps (the Tag_Profile_IM_* fields and {CUSTOM_PREFIX}*)")


def _value(profile: Profile, tag: str) -> Any:
    known = _tag(tag)
    if known is None:
        return profile.custom.get(tag[len(CUSTOM_PREFIX):])
    value = getattr(profile, known.field)
    if known.names is not None:
        return next(name for name, number in known.names.items() if number == value)
    return value


def _items(profile: Profile, tags: list[str]) -> list[dict[str, Any]]:
    items = []
    for tag in tags:
        value = _value(profile, tag)
        if value is not None:
            items.append({"Tag": tag, "Value": value})
    return items


async def portrait_get(services: Services, body: dict[str, Any]) -> Response:
    """The asked fields of each account; one that does not exist answers 40003 alone and is
    listed in ``FailAccount``."""
    user_ids = list(dict.fromkeys(strings(body, "To_Account",
                                          services.config.limits.profile_batch_max, code=_BAD)))
    tags = list(dict.fromkeys(strings(body, "TagList", ENTRIES_MAX, code=_BAD)))
    for tag in tags:
        _tag(tag)
    found = {p.user_id: p for p in await services.friends.profiles.get(
        [u for u in user_ids if is_valid_user_id(u)], invalid=_BAD)}
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


def _read(tag: str, value: Any) -> Any:
    """The field's value from Tencent's form, checked for its type (40610) and name (40001)."""
    known = _tag(tag)
    if known is None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise IMError(ErrorCode.PROFILE_VALUE_TYPE_MISMATCH,
                          f"{tag}: the value is a string or an integer")
        return value
    if isinstance(value, bool) or not isinstance(value, known.kind):
        raise IMError(ErrorCode.PROFILE_VALUE_TYPE_MISMATCH, f"{tag}: the value is "
                      + ("a string" if known.kind is str else "an integer"))
    if known.names is not None:
        if value not in known.names:
            raise IMError(_BAD, f"{tag}: one of {', '.join(known.names)}")
        return known.names[value]
    return value


async def portrait_set(services: Services, body: dict[str, Any]) -> Response:
    """Set the account's fields, with the limits of the WebSocket's ``profile.set``; its
    sessions and the users who have it as a friend hear ``profile.changed``. The admin alone
    sets ``Tag_Profile_IM_AdminForbidType``."""
    user = user_id(body, "From_Account", code=_BAD)
    items = field(body, "ProfileItem", list, _BAD)
    if not 1 <= len(items) <= ENTRIES_MAX:
        raise IMError(_BAD, f"ProfileItem: 1–{ENTRIES_MAX} items")
    values: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict):
            raise IMError(_BAD, "ProfileItem: each item is {\"Tag\", \"Value\"}")
        tag = field(item, "Tag", str, _BAD)
        value = _read(tag, item.get("Value"))
        known = _tag(tag)
        if known is None:
            custom[tag[len(CUSTOM_PREFIX):]] = value
        else:
            values[known.field] = value
    forbid = values.pop("admin_forbid_type", None)
    await services.friends.profiles.set(
        user, ProfileSetReq(**values, custom=custom), None, admin_forbid_type=forbid,
        missing=ErrorCode.PROFILE_ACCOUNT_NOT_FOUND)
    return ok(ErrorDisplay="")
