"""Listener interfaces, named after V2TIM's. Subclass and override what you need.

Callbacks run on the SDK's event loop (the GUI thread under qasync) and must return quickly;
an exception in one is logged and does not stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.protocol.friends import BlackEntry, Friend, FriendApplication, FriendGroup
    from app.protocol.groups import GroupApplication, GroupInfo, GroupMember

    from .models import Conversation, Message, MessageReceipt, UserInfo

log = logging.getLogger("tidings.sdk")


class SDKListener:
    def on_connecting(self) -> None: ...
    def on_connect_success(self) -> None: ...
    def on_connect_failed(self, code: int, error: str) -> None: ...
    def on_retry_scheduled(self, delay_s: float) -> None:
        """Tidings addition: the next connection attempt starts in ``delay_s`` seconds."""
    def on_kicked_offline(self) -> None: ...
    def on_user_sig_expired(self) -> None: ...
    def on_self_info_updated(self, info: UserInfo) -> None: ...
    def on_server_data_reset(self, reason: str) -> None:
        """Tidings addition: the service's data was replaced or restored from an earlier copy,
        so this device dropped what the service no longer holds and syncs again from scratch
        (unsent messages are kept and go out). Views showing history should reload it."""


class AdvancedMsgListener:
    def on_recv_new_message(self, msg: Message) -> None: ...
    def on_recv_c2c_read_receipt(self, receipts: list[MessageReceipt]) -> None: ...
    def on_recv_message_revoked(self, msg_id: str, revoker: str) -> None:
        """V2TIM's newer form (with the operator): ``revoker`` is who recalled it when not
        its sender — a group's owner or an admin — else ""."""
    def on_recv_message_modified(self, msg: Message) -> None: ...
    def on_send_progress(self, msg: Message, progress: int) -> None:
        """Upload progress 0–100 of a media message of mine (V2TIM's send callback
        ``onProgress``, as a listener so a view opened later still sees it)."""

    def on_message_status_changed(self, msg: Message) -> None:
        """Tidings addition: a message of mine changed status outside a send_message call
        (resent from the outbox after a restart, or failed at its deadline)."""

    def on_recv_typing_status(self, user_id: str, typing: bool) -> None:
        """Tidings addition: ``user_id`` is typing to me, or stopped (TUIKit's online-only
        typing message, which is not announced as a message). With no "stopped" for
        ``typing_status.SHOWN_S`` seconds, show it no longer."""


class ConversationListener:
    def on_sync_server_start(self) -> None: ...
    def on_sync_server_finish(self) -> None: ...
    def on_sync_server_failed(self) -> None: ...
    def on_new_conversation(self, conversations: list[Conversation]) -> None: ...
    def on_conversation_changed(self, conversations: list[Conversation]) -> None: ...
    def on_conversation_deleted(self, conversation_ids: list[str]) -> None:
        """Tidings addition: conversations removed from my list (here or on another device)."""
    def on_total_unread_message_count_changed(self, total: int) -> None: ...


class GroupListener:
    """V2TIMGroupListener (§1.10): each callback is heard by exactly the users the service tells
    — the members for changes to the group, the deciders for applications, the one concerned
    for quit and application results."""

    def on_member_enter(self, group_id: str, members: list[GroupMember]) -> None: ...
    def on_member_leave(self, group_id: str, member: GroupMember) -> None: ...
    def on_member_invited(self, group_id: str, op_user: str,
                          members: list[GroupMember]) -> None: ...
    def on_member_kicked(self, group_id: str, op_user: str,
                         members: list[GroupMember]) -> None: ...
    def on_member_info_changed(self, group_id: str, members: list[GroupMember]) -> None: ...
    def on_group_created(self, group_id: str) -> None: ...
    def on_group_dismissed(self, group_id: str, op_user: str) -> None: ...
    def on_group_info_changed(self, group_id: str, changes: dict[str, str]) -> None: ...
    def on_receive_join_application(self, group_id: str,
                                    application: GroupApplication) -> None: ...
    def on_application_processed(self, group_id: str, op_user: str, is_agree: bool,
                                 reason: str) -> None: ...
    def on_grant_administrator(self, group_id: str, op_user: str,
                               members: list[GroupMember]) -> None: ...
    def on_revoke_administrator(self, group_id: str, op_user: str,
                                members: list[GroupMember]) -> None: ...
    def on_quit_from_group(self, group_id: str) -> None: ...
    def on_receive_rest_custom_data(self, group_id: str, data: str) -> None: ...
    def on_group_attribute_changed(self, group_id: str, attributes: dict[str, str]) -> None: ...
    def on_groups_changed(self, groups: list[GroupInfo]) -> None:
        """Tidings addition: groups I am in that were added to my list or changed (profile,
        member count, my role) — what a list of my groups needs to redraw."""

    def on_groups_removed(self, group_ids: list[str]) -> None:
        """Tidings addition: groups I am no longer in (quit, kicked, dismissed)."""


class FriendshipListener:
    """V2TIMFriendshipListener (§4.7), told whenever what my lists show changes — by a push,
    by the refresh after a login (so a device that was away hears what changed meanwhile), or
    at once by a change of mine, queued or not; a change the service then refuses is told
    again as undone. Only the users whose lists change hear anything."""

    def on_friend_list_added(self, friends: list[Friend]) -> None: ...
    def on_friend_list_deleted(self, user_ids: list[str]) -> None: ...
    def on_friend_info_changed(self, friends: list[Friend]) -> None:
        """My remark, custom fields or friend groups for them, or their profile, changed."""
    def on_friend_application_list_added(self, applications: list[FriendApplication]
                                         ) -> None:
        """Requests to me (COME_IN) or from me (SEND_OUT), new or sent again."""
    def on_friend_application_list_deleted(self, user_ids: list[str]) -> None: ...
    def on_friend_application_list_read(self) -> None: ...
    def on_friend_application_unread_count_changed(self, count: int) -> None:
        """Tidings addition: the "New friends" badge."""
    def on_black_list_added(self, entries: list[BlackEntry]) -> None: ...
    def on_black_list_deleted(self, user_ids: list[str]) -> None: ...
    def on_friend_groups_changed(self, groups: list[FriendGroup]) -> None:
        """Tidings addition: friend groups made, renamed to, or whose members changed."""
    def on_friend_groups_deleted(self, names: list[str]) -> None:
        """Tidings addition: friend groups deleted, or renamed away from."""


def notify(listeners: Iterable[Any], method: str, *args: Any) -> None:
    """Call ``method`` on every listener, isolating failures."""
    for listener in list(listeners):
        callback: Callable[..., None] | None = getattr(listener, method, None)
        if callback is None:
            continue
        try:
            callback(*args)
        except Exception:
            log.exception("listener %r failed in %s", listener, method)
