"""Checks on what a client writes into a group's profile and member fields (G2, §1.6): byte
limits, the fixed join options, custom fields. Each failure names the field."""

from __future__ import annotations

import secrets

from app.protocol import ErrorCode, IMError, Limits
from app.protocol.groups import GroupType, JoinOption
from app.protocol.ids import is_valid_group_id

from .rules import TypeRules

GENERATED_PREFIX = "@TGS#"
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generated_id() -> str:
    return GENERATED_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def check_custom_id(group_id: str) -> str:
    if not is_valid_group_id(group_id) or group_id.startswith(GENERATED_PREFIX):
        raise IMError(ErrorCode.INVALID_GROUP_ID, f"invalid group ID {group_id!r}")
    return group_id


def check_text(field: str, value: str, most: int, *, required: bool = False) -> str:
    size = len(value.encode())
    if required and not value.strip():
        raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, f"{field} is required")
    if size > most:
        raise IMError(ErrorCode.GROUP_VALUE_TOO_LONG,
                      f"{field} is {size} bytes; at most {most}")
    return value


def check_custom(fields: dict[str, str], limits: Limits, *, existing: dict[str, str]
                 ) -> dict[str, str]:
    """The custom fields after applying ``fields`` to ``existing`` (an empty value removes its
    key)."""
    merged = dict(existing)
    for key, value in fields.items():
        check_text(f"custom key {key!r}", key, limits.group_custom_key_bytes, required=True)
        check_text(f"custom field {key!r}", value, limits.group_custom_value_bytes)
        if value:
            merged[key] = value
        else:
            merged.pop(key, None)
    if len(merged) > limits.group_custom_keys_max:
        raise IMError(ErrorCode.GROUP_VALUE_TOO_LONG,
                      f"{len(merged)} custom fields; at most {limits.group_custom_keys_max}")
    return merged


def join_option_for(group_type: GroupType, rules: TypeRules, asked: int | None) -> JoinOption:
    """Public groups choose; the others' option is fixed and asking for another is an error."""
    if asked is None:
        return rules.default_join
    try:
        option = JoinOption(asked)
    except ValueError:
        raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, "join_option must be 0, 1 or 2") from None
    if option not in rules.join_options:
        raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED,
                      f"{group_type} groups have the fixed join option {rules.default_join.name}")
    return option


def max_members_for(group_type: GroupType, asked: int, limits: Limits) -> int:
    if group_type == GroupType.AVCHATROOM:
        return 0
    if asked == 0:
        return limits.group_members_default
    if not 1 <= asked <= limits.group_members_max:
        raise IMError(ErrorCode.GROUP_INVALID_PARAMETER,
                      f"max_member_count: 1–{limits.group_members_max}")
    return asked
