"""GroupManager: create, join, manage and leave groups; my joined list (V2TIMGroupManager).

The service owns every rule (who may do what in which type, §1.2); this class carries requests
and keeps what a device shows without asking: the groups I am in, in memory and in the cache,
so group chats have names and avatars offline. Events the service pushes (``group.event``) go
to the group listeners as V2TIM names them, and any event that may change what my list shows —
a profile, a member count, my role, my membership — refreshes those groups from the service in
one batched ``group.info``, rather than patching the list from the event: the event's ``info``
is as its author sees it, and a device that missed events only needs the next refresh. After
each login the whole list is fetched again, since events are not replayed to a device that was
away.

Changes to a group that exists — its profile, a member, an application, leaving it — go through
the local operation queue (``GroupChange``), so one made offline, or cut off by a stall, is sent
when the link is back, in order with the chat's reads. Until the service answers, my list shows
it (a new name, a group I left gone) over whatever the service says (``_overlaid``); a refusal
takes the service's word again. Creating and joining need the service's answer (the ID it made,
whether an admin must approve) and are refused offline.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from app.protocol import Cmd, ErrorCode, IMError
from app.protocol.commands import Empty
from app.protocol.groups import (
    ApplicationStatus,
    GroupApplication,
    GroupApplicationsResp,
    GroupAttrKeysReq,
    GroupAttrsReq,
    GroupAttrsResp,
    GroupCreateReq,
    GroupDecideReq,
    GroupEventKind,
    GroupEventPush,
    GroupIdReq,
    GroupIdResp,
    GroupInfo,
    GroupInfoReq,
    GroupInfoResp,
    GroupJoinReq,
    GroupJoinResp,
    GroupListResp,
    GroupMember,
    GroupMembersInfoReq,
    GroupMembersInfoResp,
    GroupMembersReq,
    GroupMembersResp,
    GroupMuteReq,
    GroupRoleReq,
    GroupSetInfoReq,
    GroupSetMemberReq,
    GroupTransferReq,
    GroupUsersReq,
    GroupUsersResp,
    MemberFilter,
    MemberSpec,
)
from app.protocol.ids import group_conversation_id, is_valid_group_id

from .cache.operations import GroupChange
from .listeners import GroupListener, notify

if TYPE_CHECKING:
    from .client import IMClient

log = logging.getLogger("tidings.sdk.groups")

_LEFT = {GroupEventKind.QUIT_FROM_GROUP, GroupEventKind.GROUP_DISMISSED}
"""Kinds after which the user told is no longer in the group."""
_NOT_IN_MY_LIST = {GroupEventKind.JOIN_APPLICATION, GroupEventKind.REST_CUSTOM_DATA}
"""Kinds that change nothing my list of groups shows."""


_PROFILE = frozenset({"name", "introduction", "notification", "face_url", "join_option",
                      "all_muted"})
"""Fields of ``GroupSetInfoReq`` that are fields of ``GroupInfo`` as they are."""
_REFRESH_AFTER = frozenset({Cmd.GROUP_TRANSFER, Cmd.GROUP_INVITE, Cmd.GROUP_KICK,
                            Cmd.GROUP_DECIDE})
"""Changes after which my list's profile of the group (role, member count) is fetched again."""
_LEAVING = frozenset({Cmd.GROUP_QUIT, Cmd.GROUP_DISMISS})


def _check(group_id: str) -> None:
    if not is_valid_group_id(group_id):
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, f"invalid group ID {group_id!r}")


class GroupManager:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self.listeners: list[GroupListener] = []
        self._joined: dict[str, GroupInfo] = {}
        self._stale: set[str] = set()
        self._refreshing: asyncio.Task[None] | None = None
        self._pending: dict[int, GroupChange] = {}
        """Queued group changes by operation ID, in the order they were made."""

    def add_group_listener(self, listener: GroupListener) -> None:
        if listener not in self.listeners:
            self.listeners.append(listener)

    def remove_group_listener(self, listener: GroupListener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    def cached_group(self, group_id: str) -> GroupInfo | None:
        """A group I am in, as last heard; None for any other."""
        return self._joined.get(group_id)

    def cached_groups(self) -> list[GroupInfo]:
        """The groups I am in as last heard (the cache's, offline too), by name."""
        return sorted(self._joined.values(), key=lambda g: (g.name.casefold(), g.group_id))

    async def load(self) -> None:
        """Warm the in-memory list from the cache (offline start)."""
        self._pending = {op_id: op for op_id, op in await self.client.cache.operations()
                         if isinstance(op, GroupChange)}
        self._joined = {g.group_id: g for g in await self.client.cache.groups.all()}

    def reset(self) -> None:
        self._joined.clear()
        self._stale.clear()
        self._pending.clear()

    async def _call(self, cmd: Cmd, body: Any) -> Any:
        if not self.client.ready:
            raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE,
                          "this needs a connection to the service")
        return await self.client.request(cmd, body)

    async def _change(self, cmd: Cmd, body: Any) -> Any:
        """A change through the operation queue: the service's answer, or None while it waits
        for the link (it is kept, and sent in order when the link is back)."""
        _check(body.group_id)
        if not self.client.has_storage:
            return await self._call(cmd, body)
        op = GroupChange(group_conversation_id(body.group_id), str(cmd),
                         msgspec.to_builtins(body))
        return await self.client.operations.submit(op)

    # --- the operation queue's side ------------------------------------------------------

    async def queued(self, op_id: int, op: GroupChange) -> None:
        """A change was queued: my list shows it now."""
        self._pending[op_id] = op
        await self._show_pending(op.body["group_id"])

    async def applied(self, op_id: int, op: GroupChange, answer: Any) -> None:
        """The service took a queued change: my list follows its answer."""
        self._pending.pop(op_id, None)
        group_id: str = op.body["group_id"]
        cmd = Cmd(op.cmd)
        if cmd in _LEAVING:
            await self._forget([group_id])
        elif cmd == Cmd.GROUP_SET_INFO:
            await self._take([answer])
        elif cmd in _REFRESH_AFTER:
            await self._refresh_soon([group_id])

    async def refused(self, op_id: int, op: GroupChange) -> None:
        """The service refused a queued change for good: my list takes its word again."""
        self._pending.pop(op_id, None)
        await self._refresh_soon([op.body["group_id"]])

    def _overlaid(self, group: GroupInfo) -> GroupInfo | None:
        """``group`` as the service said, with my queued changes on top; None once I left."""
        for op in self._pending.values():
            body = op.body
            if body["group_id"] != group.group_id:
                continue
            if Cmd(op.cmd) in _LEAVING:
                return None
            if Cmd(op.cmd) == Cmd.GROUP_SET_INFO:
                changes: dict[str, Any] = {k: v for k, v in body.items()
                                           if k in _PROFILE and v is not None}
                if body.get("custom"):
                    custom = {**group.custom, **body["custom"]}
                    changes["custom"] = {k: v for k, v in custom.items() if v}
                group = msgspec.structs.replace(group, **changes)
        return group

    async def _show_pending(self, group_id: str) -> None:
        group = self._joined.get(group_id)
        if group is None:
            return
        shown = self._overlaid(group)
        if shown is None:
            await self._forget([group_id])
        elif shown != group:
            self._joined[group_id] = shown
            await self.client.cache.groups.save([shown])
            await self._announce([shown], [])

    # --- joining and leaving -------------------------------------------------------------

    async def create_group(self, group_type: str, group_name: str, group_id: str = "",
                           member_list: Sequence[str | MemberSpec] = (),
                           introduction: str = "", notification: str = "", face_url: str = "",
                           join_option: int | None = None, max_member_count: int = 0,
                           custom: dict[str, str] | None = None) -> str:
        """The group's ID (``group_id``, or one the service made). I am its owner; the
        members listed are in it at once (Work, Public, Meeting; not an AVChatRoom)."""
        members = [m if isinstance(m, MemberSpec) else MemberSpec(m) for m in member_list]
        resp: GroupIdResp = await self._call(Cmd.GROUP_CREATE, GroupCreateReq(
            group_type=group_type, name=group_name, group_id=group_id,
            introduction=introduction, notification=notification, face_url=face_url,
            join_option=join_option, max_member_count=max_member_count,
            custom=custom or {}, members=members))
        await self._refresh([resp.group_id])
        return resp.group_id

    async def join_group(self, group_id: str, message: str = "") -> str:
        """``joined``, ``pending`` (an admin decides; ``on_application_processed`` tells) or
        ``already_member``."""
        _check(group_id)
        resp: GroupJoinResp = await self._call(Cmd.GROUP_JOIN, GroupJoinReq(group_id, message))
        if resp.status != "pending":
            await self._refresh([group_id])
        return resp.status

    async def quit_group(self, group_id: str) -> None:
        """The group leaves my list at once, offline too; the service is told when it can be."""
        await self._change(Cmd.GROUP_QUIT, GroupIdReq(group_id))

    async def dismiss_group(self, group_id: str) -> None:
        await self._change(Cmd.GROUP_DISMISS, GroupIdReq(group_id))

    # --- the list and profiles -----------------------------------------------------------

    async def get_joined_group_list(self) -> list[GroupInfo]:
        """From the service when connected (and kept), else as last known."""
        if self.client.ready:
            try:
                await self.refresh_joined()
            except IMError as exc:
                if exc.code not in (ErrorCode.SDK_NETWORK_UNAVAILABLE,
                                    ErrorCode.SDK_REQUEST_TIMEOUT):
                    raise
        return self.cached_groups()

    async def refresh_joined(self) -> None:
        resp: GroupListResp = await self.client.request(Cmd.GROUP_JOINED, Empty())
        shown = (self._overlaid(g) for g in resp.groups)
        fresh = {g.group_id: g for g in shown if g is not None}
        gone = [g for g in self._joined if g not in fresh]
        changed = [g for g in fresh.values() if self._joined.get(g.group_id) != g]
        self._joined = fresh
        await self.client.cache.groups.save(fresh.values(), complete=True)
        await self._announce(changed, gone)

    async def get_groups_info(self, group_ids: Iterable[str]) -> list[GroupInfo]:
        """Profiles of groups I may see (mine, or public ones); groups that fail are left out
        (``get_groups_info_results`` says why)."""
        found, _ = await self.get_groups_info_results(group_ids)
        return found

    async def get_groups_info_results(self, group_ids: Iterable[str]
                                      ) -> tuple[list[GroupInfo], dict[str, int]]:
        ids = list(dict.fromkeys(group_ids))
        for group_id in ids:
            _check(group_id)
        resp: GroupInfoResp = await self._call(Cmd.GROUP_INFO, GroupInfoReq(ids))
        await self._take(resp.groups)
        return resp.groups, resp.failed

    async def search_group(self, group_id: str) -> GroupInfo:
        """A group by its exact ID, member or not (its public profile)."""
        _check(group_id)
        return await self._call(Cmd.GROUP_SEARCH, GroupIdReq(group_id))

    async def set_group_info(self, group_id: str, *, name: str | None = None,
                             introduction: str | None = None, notification: str | None = None,
                             face_url: str | None = None, join_option: int | None = None,
                             all_muted: bool | None = None,
                             custom: dict[str, str] | None = None) -> GroupInfo | None:
        """Change what is given; the rest stays. ``all_muted`` mutes everyone but the owner
        and admins. The profile after it, or None while the change waits for the link (my
        list shows it meanwhile)."""
        return await self._change(Cmd.GROUP_SET_INFO, GroupSetInfoReq(
            group_id, name=name, introduction=introduction, notification=notification,
            face_url=face_url, join_option=join_option, all_muted=all_muted, custom=custom))

    # --- members -------------------------------------------------------------------------

    async def get_group_member_list(self, group_id: str, filter: int = MemberFilter.ALL,
                                    next_seq: int = 0, count: int = 50) -> GroupMembersResp:
        """One page; ask again with the answer's ``next_seq`` until it is 0."""
        _check(group_id)
        return await self._call(Cmd.GROUP_MEMBERS, GroupMembersReq(
            group_id, filter=int(filter), next_seq=next_seq, count=count))

    async def get_group_members_info(self, group_id: str,
                                     user_ids: Sequence[str]) -> list[GroupMember]:
        _check(group_id)
        resp: GroupMembersInfoResp = await self._call(
            Cmd.GROUP_MEMBERS_INFO, GroupMembersInfoReq(group_id, list(user_ids)))
        return resp.members

    async def set_group_member_info(self, group_id: str, user_id: str,
                                    name_card: str | None = None,
                                    custom: dict[str, str] | None = None) -> GroupMember | None:
        """The member after it, or None while the change waits for the link; likewise the
        other member changes below."""
        return await self._change(Cmd.GROUP_SET_MEMBER, GroupSetMemberReq(
            group_id, user_id, name_card=name_card, custom=custom))

    async def mute_group_member(self, group_id: str, user_id: str,
                                seconds: int) -> GroupMember | None:
        """Muted for ``seconds`` from when the service takes it; 0 unmutes."""
        return await self._change(Cmd.GROUP_MUTE, GroupMuteReq(group_id, user_id, seconds))

    async def set_group_member_role(self, group_id: str, user_id: str,
                                    role: int) -> GroupMember | None:
        return await self._change(Cmd.GROUP_SET_ROLE, GroupRoleReq(group_id, user_id, int(role)))

    async def transfer_group_owner(self, group_id: str, user_id: str) -> GroupInfo | None:
        return await self._change(Cmd.GROUP_TRANSFER, GroupTransferReq(group_id, user_id))

    async def invite_user_to_group(self, group_id: str,
                                   user_ids: Sequence[str]) -> GroupUsersResp | None:
        return await self._change(Cmd.GROUP_INVITE, GroupUsersReq(group_id, list(user_ids)))

    async def kick_group_member(self, group_id: str, user_ids: Sequence[str],
                                reason: str = "") -> GroupUsersResp | None:
        return await self._change(Cmd.GROUP_KICK,
                                  GroupUsersReq(group_id, list(user_ids), reason))

    # --- attributes (AVChatRoom) ---------------------------------------------------------
    # A room's attributes belong to the people in it now, so these are live requests, not
    # queued: a change sent after the link came back could overwrite a newer room's state.

    async def init_group_attributes(self, group_id: str,
                                    attributes: dict[str, str]) -> dict[str, str]:
        """The whole set becomes ``attributes``; answers the set as it is now."""
        return await self._attributes(Cmd.GROUP_ATTR_INIT, GroupAttrsReq(group_id, attributes))

    async def set_group_attributes(self, group_id: str,
                                   attributes: dict[str, str]) -> dict[str, str]:
        """Each key given is added or replaced; the others stay."""
        return await self._attributes(Cmd.GROUP_ATTR_SET, GroupAttrsReq(group_id, attributes))

    async def delete_group_attributes(self, group_id: str,
                                      keys: Sequence[str] = ()) -> dict[str, str]:
        """Those keys, or all of them when none are given (V2TIM's ``null``)."""
        return await self._attributes(Cmd.GROUP_ATTR_DELETE,
                                      GroupAttrKeysReq(group_id, list(keys)))

    async def get_group_attributes(self, group_id: str,
                                   keys: Sequence[str] = ()) -> dict[str, str]:
        return await self._attributes(Cmd.GROUP_ATTR_GET, GroupAttrKeysReq(group_id, list(keys)))

    async def _attributes(self, cmd: Cmd, body: GroupAttrsReq | GroupAttrKeysReq
                          ) -> dict[str, str]:
        _check(body.group_id)
        resp: GroupAttrsResp = await self._call(cmd, body)
        return resp.attributes

    # --- applications --------------------------------------------------------------------

    async def get_group_application_list(self) -> list[GroupApplication]:
        """Pending applications to the groups I own or administer, and my own."""
        resp: GroupApplicationsResp = await self._call(Cmd.GROUP_APPLICATIONS, Empty())
        return resp.applications

    async def accept_group_application(self, application: GroupApplication,
                                       reason: str = "") -> GroupApplication | None:
        """The application as decided, or None while the decision waits for the link."""
        return await self._decide(application, True, reason)

    async def refuse_group_application(self, application: GroupApplication,
                                       reason: str = "") -> GroupApplication | None:
        return await self._decide(application, False, reason)

    async def _decide(self, application: GroupApplication, accept: bool,
                      reason: str) -> GroupApplication | None:
        return await self._change(Cmd.GROUP_DECIDE, GroupDecideReq(
            application.group_id, application.applicant, accept, reason))

    # --- events --------------------------------------------------------------------------

    def on_event(self, event: GroupEventPush) -> None:
        """A ``group.event`` push: the listeners hear it now; my list follows."""
        me = self.client.me
        kind, group_id, members = event.kind, event.group_id, event.members
        if kind in _LEFT or (kind == GroupEventKind.MEMBER_KICKED
                             and any(m.user_id == me for m in members)):
            self.client.spawn(self._forget([group_id]))
        elif kind not in _NOT_IN_MY_LIST and not (
                kind == GroupEventKind.APPLICATION_PROCESSED
                and event.application is not None and event.application.applicant != me):
            self._mark_stale(group_id)
        self._tell(event)

    def _tell(self, event: GroupEventPush) -> None:
        listeners, group_id, op = self.listeners, event.group_id, event.op_user
        members = list(event.members)
        match event.kind:
            case GroupEventKind.MEMBER_ENTER:
                notify(listeners, "on_member_enter", group_id, members)
            case GroupEventKind.MEMBER_LEAVE:
                for member in members:
                    notify(listeners, "on_member_leave", group_id, member)
            case GroupEventKind.MEMBER_INVITED:
                notify(listeners, "on_member_invited", group_id, op, members)
            case GroupEventKind.MEMBER_KICKED:
                notify(listeners, "on_member_kicked", group_id, op, members)
            case GroupEventKind.MEMBER_INFO_CHANGED:
                notify(listeners, "on_member_info_changed", group_id, members)
            case GroupEventKind.GROUP_CREATED:
                notify(listeners, "on_group_created", group_id)
            case GroupEventKind.GROUP_DISMISSED:
                notify(listeners, "on_group_dismissed", group_id, op)
            case GroupEventKind.GROUP_INFO_CHANGED:
                notify(listeners, "on_group_info_changed", group_id, dict(event.changes))
            case GroupEventKind.JOIN_APPLICATION if event.application is not None:
                notify(listeners, "on_receive_join_application", group_id, event.application)
            case GroupEventKind.APPLICATION_PROCESSED if event.application is not None:
                app = event.application
                notify(listeners, "on_application_processed", group_id, op,
                       app.status == ApplicationStatus.ACCEPTED, app.handle_message)
            case GroupEventKind.GRANT_ADMINISTRATOR:
                notify(listeners, "on_grant_administrator", group_id, op, members)
            case GroupEventKind.REVOKE_ADMINISTRATOR:
                notify(listeners, "on_revoke_administrator", group_id, op, members)
            case GroupEventKind.QUIT_FROM_GROUP:
                notify(listeners, "on_quit_from_group", group_id)
            case GroupEventKind.REST_CUSTOM_DATA:
                notify(listeners, "on_receive_rest_custom_data", group_id, event.data)
            case GroupEventKind.ATTRIBUTES_CHANGED:
                notify(listeners, "on_group_attribute_changed", group_id,
                       dict(event.attributes))
            case _:
                log.info("group event %s of %s not handled", event.kind, group_id)

    # --- my list -------------------------------------------------------------------------

    def _mark_stale(self, group_id: str) -> None:
        self._stale.add(group_id)
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = self.client.spawn(self._refresh_stale())

    async def _refresh_stale(self) -> None:
        while self._stale and self.client.ready:
            batch, self._stale = sorted(self._stale), set()
            try:
                await self._refresh(batch)
            except IMError as exc:
                log.info("groups %s not refreshed: %s", batch, exc)
                return  # the next login's full refresh catches up

    async def _refresh(self, group_ids: Sequence[str]) -> None:
        """Fetch these groups' profiles again; the ones I am not in leave my list."""
        resp: GroupInfoResp = await self.client.request(Cmd.GROUP_INFO, GroupInfoReq(
            list(group_ids)))
        await self._take(resp.groups)
        gone = [g.group_id for g in resp.groups if not g.role]
        gone += [g for g in resp.failed if g in self._joined]
        if gone:
            await self._forget(gone)

    async def _take(self, groups: Iterable[GroupInfo]) -> None:
        """Profiles just fetched: those of groups I am in update my list."""
        shown = [self._overlaid(g) for g in groups if g.role]
        mine = [g for g in shown if g is not None]
        changed = [g for g in mine if self._joined.get(g.group_id) != g]
        if not changed:
            return
        self._joined.update({g.group_id: g for g in changed})
        await self.client.cache.groups.save(changed)
        await self._announce(changed, [])

    async def _refresh_soon(self, group_ids: Sequence[str]) -> None:
        """Refresh now; when that fails, with the next batch (or the next login)."""
        try:
            await self._refresh(group_ids)
        except IMError as exc:
            log.info("groups %s not refreshed: %s", group_ids, exc)
            for group_id in group_ids:
                self._mark_stale(group_id)

    async def _forget(self, group_ids: Iterable[str]) -> None:
        gone = [g for g in dict.fromkeys(group_ids) if g in self._joined]
        for group_id in gone:
            del self._joined[group_id]
        if gone:
            await self.client.cache.groups.remove(gone)
            await self._announce([], gone)

    async def _announce(self, changed: list[GroupInfo], gone: list[str]) -> None:
        if changed:
            notify(self.listeners, "on_groups_changed", changed)
        if gone:
            notify(self.listeners, "on_groups_removed", gone)
        conv_ids = {group_conversation_id(g.group_id) for g in changed}
        conv_ids |= {group_conversation_id(g) for g in gone}
        if conv_ids and self.client.has_storage:
            await self.client.announcer.conversations(conv_ids, set())
