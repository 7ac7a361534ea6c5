"""FriendshipManager: friends, friend requests, the blacklist and friend groups
(V2TIMFriendshipManager in snake_case).

The service owns every rule (§4: allow types, blacklists, full lists); this class carries the
requests and keeps what the contacts pane shows without asking: the service's word in the
cache (``cache/contacts.py``), refreshed after every login — pushes are not replayed to a
device that was away — and kept current by ``friend.event`` pushes, which the service sends to
the device that made a change too.

Every change goes through the local operation queue (``FriendChange``), so one made offline
or cut off by a stall is sent when the link is back, in the order it was made, across a
restart. Until the service answers, the lists show it over the service's word
(``overlay.py``); when it answers, the lists are the service's word again, so a refused change
is undone by itself. Calls whose answer is the point (``add_friend``'s added / pending /
refused, per-user results) return None while the change waits for the link.

Listeners hear differences in what the lists show (``state.diff``), whatever caused them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from app.protocol import Cmd, ErrorCode, IMError, Profile
from app.protocol.commands import Empty
from app.protocol.friends import (
    AcceptReq,
    AcceptType,
    ApplicationReq,
    ApplicationsReadReq,
    ApplicationsReq,
    ApplicationsResp,
    ApplicationType,
    BlackEntry,
    BlackListResp,
    Friend,
    FriendAddReq,
    FriendApplication,
    FriendCheck,
    FriendCheckResp,
    FriendEventPush,
    FriendGroup,
    FriendGroupCreateReq,
    FriendGroupMembersReq,
    FriendGroupNamesReq,
    FriendGroupRenameReq,
    FriendGroupsResp,
    FriendInfoResp,
    FriendInfoResult,
    FriendListReq,
    FriendListResp,
    FriendResult,
    FriendSetInfoReq,
    FriendType,
    FriendTypedReq,
    Relation,
    UserIdsReq,
)
from app.protocol.ids import c2c_conversation_id, is_valid_user_id

from ..cache.operations import FRIENDS_QUEUE, FriendChange
from . import events, overlay
from .announce import announce
from .state import Contacts, diff, key_of

if TYPE_CHECKING:
    from ..client import IMClient
    from ..listeners import FriendshipListener

log = logging.getLogger("tidings.sdk.friends")

_PROFILE = str(Cmd.PROFILE_SET)
"""``set_self_info`` queues as a FriendChange too; the profile book shows it."""


@dataclass(slots=True)
class FriendApplicationResult:
    """V2TIMFriendApplicationResult: every request, newest first, and the badge's count."""

    unread_count: int
    applications: list[FriendApplication]


def _user(user_id: str) -> str:
    if not is_valid_user_id(user_id):
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, f"invalid UserID {user_id!r}")
    return user_id


def _users(user_ids: Iterable[str]) -> list[str]:
    ids = [_user(u) for u in dict.fromkeys(user_ids)]
    if not ids:
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "name at least one user")
    return ids


def _results(answer: Any) -> list[FriendResult] | None:
    return None if answer is None else answer.results


class FriendshipManager:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self.listeners: list[FriendshipListener] = []
        self._base = Contacts()
        """The service's word, as the cache keeps it."""
        self._shown = Contacts()
        """That with my queued changes on top: what every read answers and listeners hear."""
        self._pending: dict[int, FriendChange] = {}
        self._heard_while_refreshing: list[FriendEventPush] | None = None
        """Pushes taken while a refresh runs: laid again over its answers, which may be older."""

    def add_friend_listener(self, listener: FriendshipListener) -> None:
        if listener not in self.listeners:
            self.listeners.append(listener)

    def remove_friend_listener(self, listener: FriendshipListener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    # --- life cycle ----------------------------------------------------------------------

    def reset(self) -> None:
        self._base, self._shown = Contacts(), Contacts()
        self._pending.clear()

    async def load(self) -> None:
        """Warm the lists from the cache (offline start); nothing is announced."""
        self._pending = {op_id: op for op_id, op in await self.client.cache.operations()
                         if isinstance(op, FriendChange) and op.cmd != _PROFILE}
        self._base = await self.client.cache.contacts.load()
        self._shown = self._overlay()

    async def refresh(self) -> None:
        """Fetch everything again (after each login); listeners hear what changed."""
        self._heard_while_refreshing = []
        try:
            fresh = await self._fetch_all()
        except BaseException:
            self._heard_while_refreshing = None
            raise

        async def take() -> None:
            # In turn with the pushes read before the last answer: each one heard since the
            # first request went out is applied again on top, as a list fetched before it
            # may not hold it yet (applying one the answers already hold changes nothing).
            heard, self._heard_while_refreshing = self._heard_while_refreshing or [], None
            contacts = fresh
            for event in heard:
                contacts = events.applied(contacts, event, self.client.server_time_ms()).contacts
            await self._take_base(contacts, replace=True)
        await self.client.sync.in_order(take)

    async def _fetch_all(self) -> Contacts:
        fresh = Contacts()
        for friend in await self._all_friends():
            fresh.put_friend(friend)
        for application in await self._all_applications():
            fresh.applications[key_of(application)] = application
        black: BlackListResp = await self.client.request(Cmd.BLACK_LIST, Empty())
        fresh.black = {e.user_id: e for e in black.users}
        groups: FriendGroupsResp = await self.client.request(Cmd.FRIEND_GROUPS,
                                                             FriendGroupNamesReq())
        fresh.groups = {g.name: g for g in groups.groups}
        return fresh

    async def _all_friends(self) -> list[Friend]:
        found: list[Friend] = []
        after = ""
        while True:
            page: FriendListResp = await self.client.request(
                Cmd.FRIEND_LIST, FriendListReq(after=after,
                                               count=self.client.limits.friend_page_max))
            found.extend(page.friends)
            if not page.next_after:
                return found
            after = page.next_after

    async def _all_applications(self) -> list[FriendApplication]:
        found: list[FriendApplication] = []
        start = 0
        while True:
            page: ApplicationsResp = await self.client.request(
                Cmd.FRIEND_APPLICATIONS, ApplicationsReq(
                    type=int(ApplicationType.BOTH), start=start,
                    count=self.client.limits.application_page_max))
            found.extend(page.applications)
            if not page.next:
                return found
            start = page.next

    async def _refetch_applications(self) -> None:
        try:
            listed = await self._all_applications()
        except IMError as exc:
            log.info("friend requests not fetched again: %s", exc)
            return  # the next login's refresh catches up

        async def take() -> None:
            fresh = self._base.copy()
            fresh.applications = {key_of(a): a for a in listed}
            await self._take_base(fresh)
        await self.client.sync.in_order(take)

    # --- what the lists show -------------------------------------------------------------

    def _overlay(self) -> Contacts:
        return overlay.overlaid(self._base, self._pending.values(), self.client.profiles.get)

    async def _take_base(self, fresh: Contacts, *, replace: bool = False) -> None:
        delta = diff(self._base, fresh)
        self._base = fresh
        if replace:
            await self.client.cache.contacts.replace(fresh)
        else:
            await self.client.cache.contacts.save(delta)
        await self._show()

    async def _show(self) -> None:
        shown = self._overlay()
        delta = diff(self._shown, shown)
        old, self._shown = self._shown, shown
        if not delta:
            return
        announce(self.listeners, delta)
        # The show-name chain starts with my remark (C1): chats with those friends redraw.
        renamed = {u for u in {*old.friends, *shown.friends}
                   if _show_name(old.friends.get(u)) != _show_name(shown.friends.get(u))}
        if renamed and self.client.has_storage:
            await self.client.announcer.conversations(
                {c2c_conversation_id(u) for u in renamed}, set())

    def cached_friend(self, user_id: str) -> Friend | None:
        """A friend of mine as my list shows them (offline too); None for anyone else."""
        return self._shown.friends.get(user_id)

    def is_blocked(self, user_id: str) -> bool:
        """Whether my blacklist, as this device shows it (offline too), holds ``user_id``."""
        return user_id in self._shown.black

    # --- pushes and the profile book ---------------------------------------------------

    def on_event(self, event: FriendEventPush) -> None:
        """A ``friend.event`` push, taken in turn with the other pushes and answers."""
        done = self.client.sync.in_order(lambda: self._on_event(event))
        done.add_done_callback(lambda f: f.cancelled() or f.exception())  # logged by sync

    async def _on_event(self, event: FriendEventPush) -> None:
        if self._heard_while_refreshing is not None:
            self._heard_while_refreshing.append(event)
        applied = events.applied(self._base, event, self.client.server_time_ms())
        await self._take_base(applied.contacts)
        if applied.refetch_applications:
            self.client.spawn(self._refetch_applications())

    async def profiles_changed(self, profiles: Iterable[Profile]) -> None:
        """Profiles just heard (a push or a fetch): friends' and blocked users' entries
        follow."""
        fresh = self._base.copy()
        changed = False
        for profile in profiles:
            friend = fresh.friends.get(profile.user_id)
            if friend is not None and friend.profile != profile:
                fresh.put_friend(msgspec.structs.replace(friend, profile=profile))
                changed = True
            entry = fresh.black.get(profile.user_id)
            if entry is not None and entry.profile != profile:
                fresh.black[profile.user_id] = msgspec.structs.replace(entry, profile=profile)
                changed = True
        if changed:
            await self._take_base(fresh)

    # --- the operation queue's side ------------------------------------------------------

    async def change(self, cmd: Cmd, body: Any) -> Any:
        """A change through the operation queue: the service's answer, or None while it waits
        for the link (it is kept, and sent in order when the link is back)."""
        if not self.client.has_storage:
            return await self.client.request(cmd, body)
        op = FriendChange(FRIENDS_QUEUE, str(cmd), msgspec.to_builtins(body),
                          self.client.server_time_ms())
        return await self.client.operations.submit(op)

    async def queued(self, op_id: int, op: FriendChange) -> None:
        """A change was queued: the lists show it now."""
        if op.cmd == _PROFILE:
            await self.client.profiles.queued(op_id, op)
            return
        self._pending[op_id] = op
        await self._show()

    async def applied(self, op_id: int, op: FriendChange, answer: Any) -> None:
        """The service took a queued change: its events have brought what it did."""
        if op.cmd == _PROFILE:
            await self.client.profiles.applied(op_id, answer)
            return
        self._pending.pop(op_id, None)
        if op.cmd == Cmd.FRIEND_SET_APPLICATIONS_READ:
            # Its push does not say up to when; the change does, so it becomes the service's
            # word here at once rather than after the requests are fetched again.
            fresh = self._base.copy()
            overlay.apply(fresh, op, self.client.profiles.get)
            await self._take_base(fresh)
        else:
            await self._show()

    async def refused(self, op_id: int, op: FriendChange) -> None:
        """The service refused a queued change for good: the lists take its word again."""
        if op.cmd == _PROFILE:
            await self.client.profiles.refused(op_id)
            return
        self._pending.pop(op_id, None)
        await self._show()

    # --- friends -------------------------------------------------------------------------

    async def get_friend_list(self) -> list[Friend]:
        """My friends by user ID, as last heard (the cache's, offline too)."""
        return [self._shown.friends[u] for u in sorted(self._shown.friends)]

    async def get_friends_info(self, user_ids: Sequence[str]) -> list[FriendInfoResult]:
        """My record of each with our relation, or just their profile when they are not in my
        list. Offline, from the cache: the relation then says only whether they are in my
        list, since whether I am in theirs is the service's to know."""
        ids = _users(user_ids)
        if self.client.ready:
            resp: FriendInfoResp = await self.client.request(Cmd.FRIEND_INFO, UserIdsReq(ids))
            return resp.results
        out = []
        for user_id in ids:
            friend = self._shown.friends.get(user_id)
            if friend is not None:
                out.append(FriendInfoResult(user_id, int(Relation.IN_MY_LIST), friend=friend))
            else:
                profile = self.client.profiles.get(user_id)
                out.append(FriendInfoResult(user_id, friend=Friend(user_id, profile=profile)))
        return out

    async def search_friends(self, keyword: str) -> list[Friend]:
        """Friends whose remark, nickname or user ID contains ``keyword`` (any case)."""
        needle = keyword.casefold()
        return [f for f in await self.get_friend_list()
                if needle in f.user_id.casefold() or needle in f.remark.casefold()
                or (f.profile is not None and needle in f.profile.nick.casefold())]

    async def set_friend_info(self, user_id: str, remark: str | None = None,
                              custom: dict[str, str | int] | None = None) -> Friend | None:
        """My remark and friend custom fields for them (an empty value removes a field); the
        record after it, or None while the change waits for the link."""
        return await self.change(Cmd.FRIEND_SET_INFO, FriendSetInfoReq(
            _user(user_id), remark=remark, custom=custom or {}))

    async def add_friend(self, user_id: str, add_type: int = FriendType.BOTH,
                         remark: str = "", group_name: str = "", add_wording: str = "",
                         add_source: str = "") -> FriendResult | None:
        """The target's allow type decides: ``result_code`` 0 (added), 30539 (a request now
        waits for them), 30516 (they allow nobody), 30515/30525 (a blacklist), 30010/30014
        (a full list). None while the request waits for the link: the lists show nothing of
        it until the service has decided."""
        return await self.change(Cmd.FRIEND_ADD, FriendAddReq(
            _user(user_id), add_type=int(add_type), remark=remark, group_name=group_name,
            add_wording=add_wording, add_source=add_source))

    async def delete_from_friend_list(self, user_ids: Sequence[str],
                                      delete_type: int = FriendType.BOTH
                                      ) -> list[FriendResult] | None:
        """SINGLE: out of my list; BOTH: me out of theirs too. Per-user results (31704: not
        a friend), or None while queued."""
        return _results(await self.change(Cmd.FRIEND_DELETE, FriendTypedReq(
            _users(user_ids), type=int(delete_type))))

    async def check_friend(self, user_ids: Sequence[str],
                           check_type: int = FriendType.BOTH) -> list[FriendCheck]:
        """Our relation as the service knows it (needs the link)."""
        resp: FriendCheckResp = await self._live(Cmd.FRIEND_CHECK, FriendTypedReq(
            _users(user_ids), type=int(check_type)))
        return resp.results

    # --- requests ------------------------------------------------------------------------

    async def get_friend_application_list(self) -> FriendApplicationResult:
        shown = self._shown
        listed = sorted(shown.applications.values(), key=lambda a: (-a.add_time, a.user_id))
        return FriendApplicationResult(shown.unread_applications, listed)

    def unread_application_count(self) -> int:
        """The "New friends" badge, as the lists show it now."""
        return self._shown.unread_applications

    async def accept_friend_application(self, application: FriendApplication | str,
                                        accept_type: int = AcceptType.AGREE,
                                        remark: str = "") -> FriendResult | None:
        """AGREE: the applicant gets me in their list; AGREE_AND_ADD: them in mine too (with
        ``remark``). ``result_code`` 30614 when the request is gone; None while queued."""
        return await self.change(Cmd.FRIEND_ACCEPT, AcceptReq(
            _applicant(application), type=int(accept_type), remark=remark))

    async def refuse_friend_application(self, application: FriendApplication | str
                                        ) -> FriendResult | None:
        return await self.change(Cmd.FRIEND_REFUSE, ApplicationReq(_applicant(application)))

    async def delete_friend_application(self, application: FriendApplication
                                        ) -> FriendResult | None:
        """A request to me (COME_IN) or one I sent (SEND_OUT), as the application says."""
        return await self.change(Cmd.FRIEND_DELETE_APPLICATION, ApplicationReq(
            _user(application.user_id), type=int(application.type)))

    async def set_friend_application_read(self) -> None:
        """Mark the requests to me read — those this device shows, not one that arrives
        before the mark reaches the service."""
        unread = [a.add_time for a in self._shown.applications.values()
                  if a.type == ApplicationType.COME_IN and not a.read]
        if unread:
            await self.change(Cmd.FRIEND_SET_APPLICATIONS_READ,
                               ApplicationsReadReq(until=max(unread)))

    # --- blacklist -----------------------------------------------------------------------

    async def add_to_black_list(self, user_ids: Sequence[str]) -> list[FriendResult] | None:
        """Blocking removes the friendship both ways and the requests between us."""
        return _results(await self.change(Cmd.BLACK_ADD, UserIdsReq(_users(user_ids))))

    async def delete_from_black_list(self, user_ids: Sequence[str]
                                     ) -> list[FriendResult] | None:
        return _results(await self.change(Cmd.BLACK_REMOVE, UserIdsReq(_users(user_ids))))

    async def get_black_list(self) -> list[BlackEntry]:
        """Oldest block first."""
        return sorted(self._shown.black.values(), key=lambda e: (e.add_time, e.user_id))

    # --- friend groups -------------------------------------------------------------------

    async def create_friend_group(self, name: str, user_ids: Sequence[str] = ()
                                  ) -> list[FriendResult] | None:
        """A new group with those friends in it (31704 for one who is not a friend)."""
        return _results(await self.change(Cmd.FRIEND_GROUP_CREATE, FriendGroupCreateReq(
            name, [_user(u) for u in user_ids])))

    async def get_friend_groups(self, names: Sequence[str] = ()) -> list[FriendGroup]:
        """Those named (all of them when none is), oldest first."""
        groups = self._shown.groups
        return [groups[n] for n in (dict.fromkeys(names) if names else groups) if n in groups]

    async def delete_friend_group(self, names: Sequence[str]) -> None:
        await self.change(Cmd.FRIEND_GROUP_DELETE, FriendGroupNamesReq(list(names)))

    async def rename_friend_group(self, old_name: str, new_name: str) -> None:
        await self.change(Cmd.FRIEND_GROUP_RENAME, FriendGroupRenameReq(old_name, new_name))

    async def add_friends_to_friend_group(self, name: str, user_ids: Sequence[str]
                                          ) -> list[FriendResult] | None:
        return _results(await self.change(Cmd.FRIEND_GROUP_ADD, FriendGroupMembersReq(
            name, _users(user_ids))))

    async def delete_friends_from_friend_group(self, name: str, user_ids: Sequence[str]
                                               ) -> list[FriendResult] | None:
        return _results(await self.change(Cmd.FRIEND_GROUP_REMOVE, FriendGroupMembersReq(
            name, _users(user_ids))))

    async def _live(self, cmd: Cmd, body: Any) -> Any:
        if not self.client.ready:
            raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE,
                          "this needs a connection to the service")
        return await self.client.request(cmd, body)


def _applicant(application: FriendApplication | str) -> str:
    return _user(application if isinstance(application, str) else application.user_id)


def _show_name(friend: Friend | None) -> str:
    if friend is None:
        return ""
    return friend.remark or (friend.profile.nick if friend.profile else "")
