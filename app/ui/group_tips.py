"""What a group tip says, as one line: "Alice invited Carol", "Bob changed the group name to
“Launch”". The chat paints it as a centred service line and the conversation list previews it.

People are named through ``name_of`` (a group chat's member names: name card → nickname → ID);
"you" replaces my own name so the line reads from my side.
"""

from __future__ import annotations

from collections.abc import Callable

from app.protocol.elements import GroupTipsElem, GroupTipsType
from app.ui.group_texts import translate

NameOf = Callable[[str], str]

_MAX_LISTED = 3
"""People named in one line; the rest become "and N others"."""


def _people(user_ids: list[str], me: str, name_of: NameOf) -> str:
    names = [
        translate("GroupTips", "you") if u == me else name_of(u) for u in user_ids[:_MAX_LISTED]
    ]
    listed = translate("GroupTips", ", ").join(names)
    rest = len(user_ids) - _MAX_LISTED
    if rest > 0:
        return (
            translate("GroupTips", "%1 and %2 others")
            .replace("%1", listed)
            .replace("%2", str(rest))
        )
    return listed


def _field_change(field: str, value: str, who: str, name_of: NameOf) -> str:
    texts = {
        "name": translate("GroupTips", "%1 changed the group name to “%2”"),
        "introduction": translate("GroupTips", "%1 changed the group introduction"),
        "notification": translate("GroupTips", "%1 changed the group notice"),
        "face_url": translate("GroupTips", "%1 changed the group photo"),
        "join_option": translate("GroupTips", "%1 changed who may join"),
    }
    if field == "owner":
        return (
            translate("GroupTips", "%1 made %2 the owner")
            .replace("%1", who)
            .replace("%2", name_of(value))
        )
    if field == "all_muted":
        text = (
            translate("GroupTips", "%1 muted everyone")
            if value in ("1", "true", "True")
            else translate("GroupTips", "%1 unmuted everyone")
        )
        return text.replace("%1", who)
    if field.startswith("custom:"):
        return translate("GroupTips", "%1 changed the group settings").replace("%1", who)
    text = texts.get(field, translate("GroupTips", "%1 changed the group settings"))
    return text.replace("%1", who).replace("%2", value)


def tips_text(tips: GroupTipsElem, me: str, name_of: NameOf) -> str:
    who = (
        translate("GroupTips", "You")
        if tips.op_user == me
        else name_of(tips.op_user)
        if tips.op_user
        else ""
    )
    people = _people(list(tips.user_ids), me, name_of)
    match tips.tips_type:
        case GroupTipsType.JOIN:
            return translate("GroupTips", "%1 joined the group").replace("%1", people or who)
        case GroupTipsType.INVITE:
            if not who:
                return translate("GroupTips", "%1 joined the group").replace("%1", people)
            return translate("GroupTips", "%1 invited %2").replace("%1", who).replace("%2", people)
        case GroupTipsType.QUIT:
            return translate("GroupTips", "%1 left the group").replace("%1", people or who)
        case GroupTipsType.KICKED:
            if not who:
                return translate("GroupTips", "%1 was removed").replace("%1", people)
            return translate("GroupTips", "%1 removed %2").replace("%1", who).replace("%2", people)
        case GroupTipsType.SET_ADMIN:
            return (
                translate("GroupTips", "%1 made %2 an admin")
                .replace("%1", who)
                .replace("%2", people)
            )
        case GroupTipsType.CANCEL_ADMIN:
            return translate("GroupTips", "%1 is no longer an admin").replace("%1", people)
        case GroupTipsType.GROUP_INFO_CHANGE:
            if not tips.changes:
                return translate("GroupTips", "%1 changed the group settings").replace("%1", who)
            field, value = next(iter(tips.changes.items()))
            return _field_change(field, value, who, name_of)
        case GroupTipsType.MEMBER_INFO_CHANGE:
            if tips.mute:
                user_id, until = next(iter(tips.mute.items()))
                target = translate("GroupTips", "you") if user_id == me else name_of(user_id)
                text = (
                    translate("GroupTips", "%1 muted %2")
                    if until
                    else translate("GroupTips", "%1 unmuted %2")
                )
                return text.replace("%1", who or translate("GroupTips", "An admin")).replace(
                    "%2", target
                )
            return translate("GroupTips", "%1 updated their group profile").replace(
                "%1", people or who
            )
    return translate("GroupTips", "The group changed")
