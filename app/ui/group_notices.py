"""What a group system notice says, as one line: "Alice removed you from “Club”". The system
conversation paints it as a centred service line and the conversation list previews it.

The operator is named through ``name_of`` (nickname → ID); a notice the service's admin API
caused has no operator and says what happened without one, as does a preview (``name_of``
None), which has no names to hand.
"""

from __future__ import annotations

from collections.abc import Callable

from app.protocol.elements import GroupSystemElem, GroupSystemType
from app.sdk import Message
from app.ui.group_texts import translate

NameOf = Callable[[str], str]


def notice_of(msg: Message) -> GroupSystemElem | None:
    return next((e for e in msg.elems if isinstance(e, GroupSystemElem)), None)


def _texts(kind: int) -> tuple[str, str]:
    """(with an operator, without one); ``%1`` the operator, ``%2`` the group."""
    match kind:
        case GroupSystemType.APPLICATION_ACCEPTED:
            return (
                translate("GroupNotices", "%1 accepted your request to join “%2”"),
                translate("GroupNotices", "Your request to join “%2” was accepted"),
            )
        case GroupSystemType.APPLICATION_REFUSED:
            return (
                translate("GroupNotices", "%1 declined your request to join “%2”"),
                translate("GroupNotices", "Your request to join “%2” was declined"),
            )
        case GroupSystemType.KICKED:
            return (
                translate("GroupNotices", "%1 removed you from “%2”"),
                translate("GroupNotices", "You were removed from “%2”"),
            )
        case GroupSystemType.DISMISSED:
            return (
                translate("GroupNotices", "%1 dismissed “%2”"),
                translate("GroupNotices", "“%2” was dismissed"),
            )
        case GroupSystemType.INVITED:
            return (
                translate("GroupNotices", "%1 added you to “%2”"),
                translate("GroupNotices", "You were added to “%2”"),
            )
        case GroupSystemType.GRANT_ADMIN:
            return (
                translate("GroupNotices", "%1 made you an admin of “%2”"),
                translate("GroupNotices", "You are now an admin of “%2”"),
            )
        case GroupSystemType.REVOKE_ADMIN:
            return (
                translate("GroupNotices", "%1 removed you as an admin of “%2”"),
                translate("GroupNotices", "You are no longer an admin of “%2”"),
            )
    text = translate("GroupNotices", "A notice from “%2”")
    return text, text


def notice_text(notice: GroupSystemElem, name_of: NameOf | None) -> str:
    group = notice.group_name or notice.group_id
    if notice.notice_type == GroupSystemType.CUSTOM:
        return (
            translate("GroupNotices", "“%1”: %2")
            .replace("%1", group)
            .replace("%2", " ".join(notice.data.split()))
        )
    with_operator, without = _texts(notice.notice_type)
    text = (
        with_operator.replace("%1", name_of(notice.op_user))
        if notice.op_user and name_of is not None
        else without
    )
    text = text.replace("%2", group)
    if notice.handle_message:
        text = (
            translate("GroupNotices", "%1 (“%2”)")
            .replace("%1", text)
            .replace("%2", notice.handle_message)
        )
    return text
