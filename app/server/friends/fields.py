"""Checks on what a user or the admin writes into a profile or a friend record (§3.1, §4.2):
byte limits, enum values, 32-bit numbers, custom field names and the add source. Each failure
names the field. Profile fields fail with Tencent's profile codes (40001 a bad value, 40601
too long, 40610 the wrong type, 40009 an undeclared custom field); friend fields with 30001.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from enum import IntEnum
from typing import Any, Final

from app.protocol import ErrorCode, IMError, Limits
from app.protocol.commands import ProfileSetReq
from app.protocol.friends import (
    ADD_SOURCE_PREFIX,
    AdminForbidType,
    AllowType,
    CustomValue,
    Gender,
)

UINT32_MAX: Final = 2**32 - 1
_CUSTOM_NAME = re.compile(r"[A-Za-z0-9]+")
_BAD_FRIEND: Final = ErrorCode.FRIEND_INVALID_PARAMETER


def check_bytes(name: str, value: str, most: int, code: ErrorCode) -> str:
    size = len(value.encode())
    if size > most:
        raise IMError(code, f"{name} is {size} bytes; at most {most}")
    return value


def _number(name: str, value: int, kind: type[IntEnum] | None = None) -> int:
    if kind is not None:
        if value not in kind._value2member_map_:
            raise IMError(ErrorCode.PROFILE_INVALID_PARAMETER, f"{name}: one of "
                          + ", ".join(f"{m.value} ({m.name})" for m in kind))
    elif not 0 <= value <= UINT32_MAX:
        raise IMError(ErrorCode.PROFILE_INVALID_PARAMETER,
                      f"{name}: an integer from 0 to {UINT32_MAX}")
    return value


def merge_custom(changes: Mapping[str, Any], existing: Mapping[str, CustomValue], *,
                 declared: Collection[str], limits: Limits, what: str,
                 invalid: ErrorCode, too_long: ErrorCode, undeclared: ErrorCode,
                 wrong_type: ErrorCode) -> dict[str, CustomValue]:
    """``existing`` with ``changes`` applied: a name is letters and digits of at most
    ``custom_key_bytes`` — declared in the configuration, when it declares any —, a value a
    string of at most ``custom_value_bytes`` or a 32-bit unsigned integer, an empty string
    removes its field; at most ``custom_keys_max`` fields in all."""
    merged = dict(existing)
    for key, value in changes.items():
        if not (isinstance(key, str) and _CUSTOM_NAME.fullmatch(key)
                and len(key) <= limits.custom_key_bytes):
            raise IMError(invalid, f"{what} {key!r}: a name of 1–{limits.custom_key_bytes} "
                          "letters and digits")
        if declared and key not in declared:
            raise IMError(undeclared, f"{what} {key!r} is not declared on this service")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise IMError(wrong_type, f"{what} {key!r}: a string or an integer")
        if isinstance(value, int):
            if not 0 <= value <= UINT32_MAX:
                raise IMError(invalid, f"{what} {key!r}: an integer from 0 to {UINT32_MAX}")
            merged[key] = value
        elif value:
            merged[key] = check_bytes(f"{what} {key!r}", value, limits.custom_value_bytes,
                                      too_long)
        else:
            merged.pop(key, None)
    if len(merged) > limits.custom_keys_max:
        raise IMError(invalid, f"{len(merged)} {what}s; at most {limits.custom_keys_max}")
    return merged


def profile_changes(req: ProfileSetReq, existing_custom: Mapping[str, CustomValue],
                    limits: Limits, declared: Collection[str], *,
                    admin_forbid_type: int | None = None
                    ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The checked changes as (``accounts`` values, ``user_profiles`` values)."""
    too_long = ErrorCode.PROFILE_VALUE_TOO_LONG
    account: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if req.nick is not None:
        account["nick"] = check_bytes("nick", req.nick, limits.nick_bytes, too_long)
    if req.face_url is not None:
        account["face_url"] = check_bytes("face_url", req.face_url, limits.face_url_bytes,
                                          too_long)
    if req.self_signature is not None:
        extra["self_signature"] = check_bytes("self_signature", req.self_signature,
                                              limits.self_signature_bytes, too_long)
    if req.location is not None:
        extra["location"] = check_bytes("location", req.location, limits.location_bytes,
                                        too_long)
    for name, kind in (("gender", Gender), ("allow_type", AllowType), ("birthday", None),
                       ("language", None), ("level", None), ("role", None)):
        value = getattr(req, name)
        if value is not None:
            extra[name] = _number(name, value, kind)
    if admin_forbid_type is not None:
        extra["admin_forbid_type"] = _number("admin_forbid_type", admin_forbid_type,
                                             AdminForbidType)
    if req.custom:
        extra["custom"] = merge_custom(
            req.custom, existing_custom, declared=declared, limits=limits,
            what="custom profile field", invalid=ErrorCode.PROFILE_INVALID_PARAMETER,
            too_long=too_long, undeclared=ErrorCode.PROFILE_TAG_NOT_FOUND,
            wrong_type=ErrorCode.PROFILE_VALUE_TYPE_MISMATCH)
    return account, extra


def remark(value: str, limits: Limits) -> str:
    return check_bytes("remark", value, limits.friend_remark_bytes, _BAD_FRIEND)


def wording(value: str, limits: Limits) -> str:
    return check_bytes("add_wording", value, limits.add_wording_bytes, _BAD_FRIEND)


def add_source(value: str, limits: Limits) -> str:
    """Empty, or ``AddSource_Type_`` and at most ``add_source_bytes`` more."""
    if not value:
        return value
    if not value.startswith(ADD_SOURCE_PREFIX):
        raise IMError(_BAD_FRIEND, f"add_source must start with {ADD_SOURCE_PREFIX}")
    check_bytes("add_source after its prefix", value[len(ADD_SOURCE_PREFIX):],
                limits.add_source_bytes, _BAD_FRIEND)
    return value


def group_name(value: str, limits: Limits) -> str:
    if not value.strip():
        raise IMError(_BAD_FRIEND, "a friend group needs a name")
    return check_bytes("friend group name", value, limits.friend_group_name_bytes, _BAD_FRIEND)


def friend_custom(changes: Mapping[str, Any], existing: Mapping[str, CustomValue],
                  limits: Limits, declared: Collection[str]) -> dict[str, CustomValue]:
    return merge_custom(changes, existing, declared=declared, limits=limits,
                        what="custom friend field", invalid=_BAD_FRIEND, too_long=_BAD_FRIEND,
                        undeclared=_BAD_FRIEND, wrong_type=_BAD_FRIEND)


def user_batch(user_ids: list[str], most: int) -> list[str]:
    """1–``most`` user IDs, each once, in the order given."""
    if not 1 <= len(user_ids) <= most:
        raise IMError(_BAD_FRIEND, f"user_ids: 1–{most} per call")
    return list(dict.fromkeys(user_ids))
