"""A difference in what my contacts show, told to the friendship listeners as V2TIM names it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..listeners import notify
from .state import Delta


def announce(listeners: Iterable[Any], delta: Delta) -> None:
    listeners = list(listeners)
    if not listeners:
        return
    added = [f for f in delta.friends_put if f.user_id in delta.friends_added]
    changed = [f for f in delta.friends_put if f.user_id not in delta.friends_added]
    if delta.friends_gone:
        notify(listeners, "on_friend_list_deleted", list(delta.friends_gone))
    if added:
        notify(listeners, "on_friend_list_added", added)
    if changed:
        notify(listeners, "on_friend_info_changed", changed)
    gone = list(dict.fromkeys(user_id for user_id, _ in delta.applications_gone))
    if gone:
        notify(listeners, "on_friend_application_list_deleted", gone)
    if delta.applications_added:
        notify(listeners, "on_friend_application_list_added", list(delta.applications_added))
    if delta.applications_read:
        notify(listeners, "on_friend_application_list_read")
    if delta.unread_before != delta.unread_after:
        notify(listeners, "on_friend_application_unread_count_changed", delta.unread_after)
    if delta.black_gone:
        notify(listeners, "on_black_list_deleted", list(delta.black_gone))
    if delta.black_put:
        notify(listeners, "on_black_list_added", list(delta.black_put))
    if delta.groups_gone:
        notify(listeners, "on_friend_groups_deleted", list(delta.groups_gone))
    if delta.groups_put:
        notify(listeners, "on_friend_groups_changed", list(delta.groups_put))
