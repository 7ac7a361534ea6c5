"""The words the contacts views share: what became of a friend request (by its result code),
why the service refused a change, and the profile's enumerations — one translation each.

A result code is the service's verdict on one user (`FriendResult.result_code`): 0 and 30539
are outcomes the user wanted or expected, the rest say why not, in words a person can act on.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from app.protocol import ErrorCode, IMError
from app.protocol.friends import Gender


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`QCoreApplication.translate` under the name lupdate finds strings by."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def add_result_text(code: int, name: str) -> str:
    """What adding `name` did: added, a request waiting for them, or why it was refused."""
    texts = {
        ErrorCode.OK: translate("FriendTexts", "%1 is now in your friends."),
        ErrorCode.FRIEND_PENDING: translate(
            "FriendTexts", "Request sent. %1 will be in your friends once they accept it."),
        ErrorCode.PEER_FORBIDS_ADDING: translate(
            "FriendTexts", "%1 does not accept friend requests."),
        ErrorCode.PEER_IN_MY_BLACKLIST: translate(
            "FriendTexts", "You have blocked %1. Unblock them first to add them."),
        ErrorCode.IN_PEER_BLACKLIST: translate(
            "FriendTexts", "%1 does not accept requests from you."),
        ErrorCode.FRIEND_LIST_FULL: translate(
            "FriendTexts", "Your friend list is full. Remove someone to add %1."),
        ErrorCode.PEER_FRIEND_LIST_FULL: translate(
            "FriendTexts", "%1's friend list is full."),
    }
    text = texts.get(code)  # type: ignore[call-overload]
    if text is None:
        text = translate("FriendTexts", "%1 could not be added (error %2).").replace(
            "%2", str(code))
    return text.replace("%1", name)


def is_success(code: int) -> bool:
    """Added, or a request now waits: the dialog's job is done."""
    return code in (ErrorCode.OK, ErrorCode.FRIEND_PENDING)


def error_text(error: IMError) -> str:
    """Why a relationship change failed as a whole (offline, no such user, a limit)."""
    if error.code in (ErrorCode.SDK_NETWORK_UNAVAILABLE, ErrorCode.SDK_NOT_LOGGED_IN):
        return translate("FriendTexts", "You are offline. Try again once connected.")
    if error.code == ErrorCode.SDK_REQUEST_TIMEOUT:
        return translate("FriendTexts", "The server did not answer in time. Try again.")
    if error.code == ErrorCode.FRIEND_INVALID_PARAMETER:
        return translate("FriendTexts", "The server did not accept that: %1").replace(
            "%1", error.detail)
    return translate("FriendTexts", "The server refused: %1").replace("%1", error.detail)


def queued_text() -> str:
    """A change made while offline: kept, and sent when the link is back."""
    return translate("FriendTexts",
                     "Saved on this device; it is sent when you are back online.")


def gender_name(gender: int) -> str:
    """"" when unset: the card leaves the line out."""
    names = {Gender.MALE: translate("FriendTexts", "Male"),
             Gender.FEMALE: translate("FriendTexts", "Female")}
    return names.get(gender, "")  # type: ignore[call-overload]


def birthday_text(birthday: int) -> str:
    """YYYYMMDD as the locale writes a date; "" when unset or not a date."""
    date = QDate(birthday // 10000, birthday // 100 % 100, birthday % 100)
    if birthday <= 0 or not date.isValid():
        return ""
    return QLocale().toString(date, QLocale.FormatType.LongFormat)
