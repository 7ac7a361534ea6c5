"""The words every group view shares: type and role names, join policies, and why the service
refused something — one translation each, so the list, the pane and the dialogs never call the
same thing two names.

The service explains a refusal in English for developers ("members of Public groups cannot
invite"); the user reads a sentence in their language chosen by the error's code. In English
the service's own words follow in brackets (they are often more precise); in Chinese they would
be a foreign sentence and are left out, except for a code without a sentence of its own.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.protocol import ErrorCode, IMError
from app.protocol.groups import GroupRole, GroupType, JoinOption
from app.ui.i18n import active_language


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`QCoreApplication.translate` under the name lupdate finds strings by."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def type_badge(group_type: str) -> str:
    """The short name on a group's row."""
    names: dict[object, str] = {
        GroupType.WORK: translate("GroupTexts", "Work"),
        GroupType.PUBLIC: translate("GroupTexts", "Public"),
        GroupType.MEETING: translate("GroupTexts", "Meeting"),
        GroupType.AVCHATROOM: translate("GroupTexts", "Live"),
    }
    return names.get(group_type, group_type)


def type_name(group_type: str) -> str:
    names: dict[object, str] = {
        GroupType.WORK: translate("GroupTexts", "Work group"),
        GroupType.PUBLIC: translate("GroupTexts", "Public group"),
        GroupType.MEETING: translate("GroupTexts", "Meeting group"),
        GroupType.AVCHATROOM: translate("GroupTexts", "Live chat room"),
    }
    return names.get(group_type, group_type)


def type_explanation(group_type: str) -> str:
    """The rules that set the type apart, in one line (what a creator chooses between)."""
    texts: dict[object, str] = {
        GroupType.WORK: translate(
            "GroupTexts",
            "Like a family or team chat: members add people directly, nobody can ask to join."),
        GroupType.PUBLIC: translate(
            "GroupTexts",
            "Found by its ID: people ask to join and the owner or an admin approves."),
        GroupType.MEETING: translate(
            "GroupTexts",
            "Anyone with the ID joins at once and sees the messages sent before they joined."),
        GroupType.AVCHATROOM: translate(
            "GroupTexts",
            "For live streams: anyone joins at once, no member limit, no history is kept."),
    }
    return texts.get(group_type, "")


def join_option_name(option: int) -> str:
    names: dict[object, str] = {
        JoinOption.AUTH: translate("GroupTexts", "Ask to join, an admin approves"),
        JoinOption.ANY: translate("GroupTexts", "Anyone can join"),
        JoinOption.FORBID: translate("GroupTexts", "By invitation only"),
    }
    return names.get(option, "")


def role_name(role: int) -> str:
    names: dict[object, str] = {
        GroupRole.OWNER: translate("GroupTexts", "Owner"),
        GroupRole.ADMIN: translate("GroupTexts", "Admin"),
        GroupRole.MEMBER: translate("GroupTexts", "Member"),
    }
    return names.get(role, "")


def member_count(count: int) -> str:
    return translate("GroupTexts", "%n members", None, count)


def error_text(error: IMError) -> str:
    """Why the service (or the SDK) refused a group operation, for the user."""
    offline = translate("GroupTexts", "You are offline. Try again once connected.")
    texts = {
        ErrorCode.GROUP_PERMISSION_DENIED: translate(
            "GroupTexts", "Your role in this group does not allow that."),
        ErrorCode.GROUP_OWNER_CANNOT_QUIT: translate(
            "GroupTexts",
            "The owner cannot leave this group: hand it over to a member or dismiss it."),
        ErrorCode.GROUP_NOT_FOUND: translate(
            "GroupTexts", "There is no group with this ID, or it was dismissed."),
        ErrorCode.NOT_GROUP_MEMBER: translate(
            "GroupTexts", "That person is not a member (any more)."),
        ErrorCode.ALREADY_GROUP_MEMBER: translate(
            "GroupTexts", "Already a member of this group."),
        ErrorCode.GROUP_FULL: translate("GroupTexts", "The group is full."),
        ErrorCode.INVALID_GROUP_ID: translate(
            "GroupTexts",
            "A group ID is 1 to 48 letters, digits or symbols without spaces, and does not "
            "start with @TGS#."),
        ErrorCode.GROUP_ACCOUNT_NOT_FOUND: translate(
            "GroupTexts", "There is no user with that ID."),
        ErrorCode.GROUP_ID_TAKEN: translate(
            "GroupTexts", "That group ID is taken: choose another or leave it empty."),
        ErrorCode.APPLICATION_HANDLED: translate(
            "GroupTexts", "Another admin has already decided this request."),
        ErrorCode.GROUP_TYPE_UNSUPPORTED: translate(
            "GroupTexts", "This type of group does not allow that."),
        ErrorCode.TOO_MANY_GROUPS: translate(
            "GroupTexts", "You own as many groups as allowed."),
        ErrorCode.GROUP_VALUE_TOO_LONG: translate(
            "GroupTexts", "A field is longer than allowed."),
        ErrorCode.GROUP_INVALID_PARAMETER: translate(
            "GroupTexts", "The server did not accept that."),
        ErrorCode.SDK_NETWORK_UNAVAILABLE: offline,
        ErrorCode.SDK_NOT_LOGGED_IN: offline,
        ErrorCode.SDK_REQUEST_TIMEOUT: translate(
            "GroupTexts", "The server did not answer in time. Try again."),
    }
    code = error.code
    text = texts.get(code) if isinstance(code, ErrorCode) else None
    detail = error.detail
    if text is None:
        return translate("GroupTexts", "The server refused: %1").replace("%1", detail)
    generic = code.message if isinstance(code, ErrorCode) else ""
    if detail and detail != generic and active_language() != "zh_CN" and code not in (
            ErrorCode.SDK_NETWORK_UNAVAILABLE, ErrorCode.SDK_NOT_LOGGED_IN):
        return f"{text} ({detail})"
    return text


def queued_text() -> str:
    """A change made while offline: kept, and sent when the link is back."""
    return translate("GroupTexts", "Saved on this device; it is sent when you are back online.")
