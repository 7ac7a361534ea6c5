"""Every group operation of §1.7 for clients and the admin API, under the type matrix (G1–G5).

Each change runs in one write transaction that first locks the group's row, so two changes to
one group queue behind each other on any number of nodes; what they decide is read inside that
transaction, never from memory. Events, tips and conversation rows go out after the commit
(``news``). ``admin=True`` is the App admin of §1.4 (the REST API): it is no member and passes
the role checks, but not the rules of the type itself (nobody adds members to an AVChatRoom).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ConvType, ErrorCode, IMError, Limits
from app.protocol.elements import GroupTipsElem, GroupTipsType
from app.protocol.groups import (
    ApplicationStatus,
    GroupApplication,
    GroupCreateReq,
    GroupDecideReq,
    GroupEventKind,
    GroupEventPush,
    GroupInfo,
    GroupMember,
    GroupMembersReq,
    GroupMembersResp,
    GroupRole,
    GroupSetInfoReq,
    GroupSetMemberReq,
    GroupType,
    GroupUsersResp,
    JoinOption,
    JoinStatus,
    MemberFilter,
)
from app.protocol.ids import is_valid_user_id
from app.server.clock import now_ms
from app.server.media.access import check_face
from app.server.services.keys import group_key
from app.server.store import accounts as accounts_store
from app.server.store import conversations as conv_store
from app.server.store import groups as store
from app.server.store.db import Database

from . import membership, views
from .news import GroupNews
from .profile import (
    check_custom,
    check_custom_id,
    check_text,
    generated_id,
    join_option_for,
    max_members_for,
)
from .rules import ADMIN, MEMBER, OWNER, TypeRules, denied, may_act_on, may_set_name_card, rules_for

_FILTER_ROLES = {MemberFilter.OWNER: OWNER, MemberFilter.ADMIN: ADMIN,
                 MemberFilter.COMMON: MEMBER}


@dataclass(slots=True)
class _After:
    """What to tell once the transaction committed."""

    events: list[tuple[list[str], GroupEventPush]] = field(default_factory=list)
    tips: list[GroupTipsElem] = field(default_factory=list)
    rows: set[str] = field(default_factory=set)
    other_groups: list[tuple[str, TypeRules, _After]] = field(default_factory=list)
    """Changes to other groups made on the way (leaving the previous AVChatRoom)."""


class GroupService:
    def __init__(self, db: Database, news: GroupNews, limits: Limits) -> None:
        self._db = db
        self._news = news
        self._limits = limits

    # --- shared steps --------------------------------------------------------------------

    async def _live(self, conn: AsyncConnection, group_id: str, *, lock: bool = True
                    ) -> tuple[sa.Row, TypeRules]:
        if not isinstance(group_id, str) or not group_id:
            raise IMError(ErrorCode.INVALID_GROUP_ID, "group_id is required")
        group = await (store.locked(conn, group_id) if lock else store.get(conn, group_id))
        if group is None or group.dismissed:
            raise IMError(ErrorCode.GROUP_NOT_FOUND, f"no group {group_id!r}")
        return group, rules_for(group.group_type)

    async def _role(self, conn: AsyncConnection, group_id: str, user_id: str | None) -> int:
        """The caller's role; the App admin (None) acts as owner."""
        if user_id is None:
            return OWNER
        member = await store.member(conn, group_id, user_id)
        if member is None:
            raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{user_id} is not a member of {group_id}")
        return member.role

    async def _publish(self, group_id: str, rules: TypeRules, after: _After) -> None:
        for other_id, other_rules, other in after.other_groups:
            await self._publish(other_id, other_rules, other)
        for users, event in after.events:
            self._news.tell(users, event)
        await self._news.notify(group_id, after.events)
        for tips in after.tips:
            await self._news.tip(group_id, rules, tips)
        await self._news.rows_changed(group_id, rules, after.rows)

    def _check_batch(self, user_ids: Sequence[str]) -> None:
        """Users one invite or kick may name."""
        most = self._limits.group_invite_max
        if not 1 <= len(user_ids) <= most:
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, f"user_ids: 1–{most} per call")

    async def _members(self, conn: AsyncConnection, group_id: str,
                       user_ids: Sequence[str]) -> list[GroupMember]:
        rows = await store.members(conn, group_id, user_ids)
        return await views.members(conn, [rows[u] for u in user_ids if u in rows])

    async def _everyone(self, conn: AsyncConnection, group_id: str) -> list[str]:
        return (await store.member_ids(conn, [group_id]))[group_id]

    async def _info(self, conn: AsyncConnection, group: sa.Row, role: int) -> GroupInfo:
        (info,) = await views.infos(conn, [group], {group.group_id: role})
        return info

    async def _entrants(self, conn: AsyncConnection, group: sa.Row, wanted: list[str],
                        result: GroupUsersResp) -> list[str]:
        """Which of ``wanted`` may enter, in order; the others go to ``result`` as already
        members (``existed``) or failed (no such account, the group full)."""
        valid = [u for u in wanted if is_valid_user_id(u)]
        found = await accounts_store.existing(conn, valid)
        present = await store.members(conn, group.group_id, valid)
        count = (await store.count(conn, [group.group_id]))[group.group_id]
        added: list[str] = []
        for u in wanted:
            if u not in found:
                result.failed[u] = ErrorCode.GROUP_ACCOUNT_NOT_FOUND
            elif u in present:
                result.existed.append(u)
            elif group.max_members and count + len(added) >= group.max_members:
                result.failed[u] = ErrorCode.GROUP_FULL
            else:
                added.append(u)
        return added

    async def _leave_previous_rooms(self, conn: AsyncConnection, user_id: str,
                                    after: _After) -> None:
        """AVChatRoom: one at a time, so joining one leaves the one before."""
        for other_id in await store.joined_of_type(conn, user_id, GroupType.AVCHATROOM):
            other, other_rules = await self._live(conn, other_id)
            gone = await self._members(conn, other_id, [user_id])
            await membership.leave(conn, other_id, other_rules, [user_id])
            if other.owner == user_id:
                await store.update(conn, other_id, owner="")
            news = _After()
            news.events.append(([user_id], GroupEventPush(
                other_id, GroupEventKind.QUIT_FROM_GROUP, op_user=user_id)))
            news.events.append((await self._everyone(conn, other_id), GroupEventPush(
                other_id, GroupEventKind.MEMBER_LEAVE, op_user=user_id, members=gone)))
            after.other_groups.append((other_id, other_rules, news))

    # --- create, join, invite, leave -----------------------------------------------------

    async def create(self, creator: str | None, req: GroupCreateReq, *, admin: bool = False,
                     owner: str | None = None) -> str:
        """A new group; ``creator`` becomes its owner (the admin API names the ``owner``, or
        none). Initial members are added at once, without asking (§1.7)."""
        limits = self._limits
        rules = rules_for(req.group_type)
        group_type = GroupType(req.group_type)
        owner_id = creator if not admin else (owner or "")
        group_id = check_custom_id(req.group_id) if req.group_id else generated_id()
        values = {
            "group_id": group_id, "group_type": group_type.value,
            "name": check_text("name", req.name, limits.group_name_bytes, required=True),
            "introduction": check_text("introduction", req.introduction,
                                       limits.group_introduction_bytes),
            "notification": check_text("notification", req.notification,
                                       limits.group_notification_bytes),
            "face_url": check_text("face_url", req.face_url, limits.group_face_url_bytes),
            "owner": owner_id,
            "join_option": join_option_for(group_type, rules, req.join_option),
            "max_members": max_members_for(group_type, req.max_member_count, limits),
            "custom": store.encode_custom(check_custom(req.custom, limits, existing={})),
        }
        entries: dict[str, int] = {}
        if req.members:
            if not rules.initial_members:
                raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED,
                              f"{group_type} groups start without members")
            if len(req.members) > limits.group_initial_members_max:
                raise IMError(ErrorCode.GROUP_INVALID_PARAMETER,
                              f"at most {limits.group_initial_members_max} initial members")
            for spec in req.members:
                if not is_valid_user_id(spec.user_id):
                    raise IMError(ErrorCode.GROUP_ACCOUNT_NOT_FOUND,
                                  f"invalid UserID {spec.user_id!r}")
                allowed = (MEMBER, ADMIN) if rules.has_admins else (MEMBER,)
                if spec.role not in allowed:
                    raise IMError(ErrorCode.GROUP_INVALID_PARAMETER,
                                  f"{spec.user_id}: role {spec.role} is not one a "
                                  f"{group_type} member can start with")
                entries[spec.user_id] = spec.role
        if owner_id:
            entries.pop(owner_id, None)
            entries = {owner_id: OWNER, **entries}
        capacity = values["max_members"]
        if capacity and len(entries) > capacity:
            raise IMError(ErrorCode.GROUP_FULL, f"{len(entries)} members; the cap is {capacity}")
        now = now_ms()
        values |= {"created_at": now, "info_time": now}
        after = _After()
        async with self._db.write() as conn:
            missing = set(entries) - await accounts_store.existing(conn, entries)
            if missing:
                raise IMError(ErrorCode.GROUP_ACCOUNT_NOT_FOUND, f"no account {min(missing)!r}")
            await check_face(conn, req.face_url)
            if owner_id and await store.owned_count(conn, owner_id) >= limits.groups_owned_max:
                raise IMError(ErrorCode.TOO_MANY_GROUPS,
                              f"{owner_id} owns {limits.groups_owned_max} groups already")
            if rules.one_at_a_time and owner_id:
                await self._leave_previous_rooms(conn, owner_id, after)
            if not await store.insert(conn, values):
                raise IMError(ErrorCode.GROUP_ID_TAKEN, f"the group ID {group_id!r} is taken")
            if rules.stores_messages:
                await conv_store.ensure(conn, {group_key(group_id): ConvType.GROUP})
            group, _ = await self._live(conn, group_id)
            await membership.enter(conn, group, rules, list(entries.items()), now)
            info = await self._info(conn, group, GroupRole.NONE)
        after.events.append((list(entries), GroupEventPush(
            group_id, GroupEventKind.GROUP_CREATED, op_user=owner_id, info=info)))
        after.rows.update(entries)
        await self._publish(group_id, rules, after)
        return group_id

    async def join(self, user_id: str, group_id: str, message: str) -> JoinStatus:
        check_text("message", message, self._limits.group_apply_message_bytes)
        after = _After()
        async with self._db.write() as conn:
            group, rules = await self._live(conn, group_id)
            if group.group_type == GroupType.WORK:
                raise denied("Work groups are joined by invitation")
            if await store.member(conn, group_id, user_id) is not None:
                return JoinStatus.ALREADY_MEMBER
            await self._check_room(conn, group, 1)
            if group.join_option == JoinOption.FORBID:
                raise denied(f"{group_id} takes no applications")
            if group.join_option == JoinOption.AUTH:
                now = now_ms()
                await store.put_application(conn, group_id, user_id, message, now)
                deciders = await store.ids_with_role(conn, group_id, (OWNER, ADMIN))
                application = GroupApplication(group_id, user_id, message, now // 1000)
                after.events.append((deciders, GroupEventPush(
                    group_id, GroupEventKind.JOIN_APPLICATION, op_user=user_id,
                    application=application)))
                status = JoinStatus.PENDING
            else:
                if rules.one_at_a_time:
                    await self._leave_previous_rooms(conn, user_id, after)
                await self._admit(conn, group, rules, [user_id], user_id,
                                  GroupEventKind.MEMBER_ENTER, GroupTipsType.JOIN, after)
                status = JoinStatus.JOINED
        await self._publish(group_id, rules, after)
        return status

    async def _check_room(self, conn: AsyncConnection, group: sa.Row, joining: int) -> None:
        if not group.max_members:
            return
        count = (await store.count(conn, [group.group_id]))[group.group_id]
        if count + joining > group.max_members:
            raise IMError(ErrorCode.GROUP_FULL,
                          f"{group.group_id} has {count} of {group.max_members} members")

    async def _admit(self, conn: AsyncConnection, group: sa.Row, rules: TypeRules,
                     user_ids: list[str], op_user: str, kind: GroupEventKind,
                     tips_type: GroupTipsType, after: _After) -> None:
        await membership.enter(conn, group, rules, [(u, MEMBER) for u in user_ids], now_ms())
        entered = await self._members(conn, group.group_id, user_ids)
        after.events.append((await self._everyone(conn, group.group_id), GroupEventPush(
            group.group_id, kind, op_user=op_user, members=entered)))
        after.tips.append(GroupTipsElem(tips_type=tips_type, op_user=op_user, user_ids=user_ids))
        after.rows.update(user_ids)

    async def invite(self, user_id: str | None, group_id: str, user_ids: list[str], *,
                     admin: bool = False) -> GroupUsersResp:
        """Add users directly (§1.7): any member of a Work group; in Public and Meeting only the
        App admin; in an AVChatRoom nobody."""
        self._check_batch(user_ids)
        result = GroupUsersResp()
        after = _After()
        async with self._db.write() as conn:
            group, rules = await self._live(conn, group_id)
            if not rules.initial_members:
                raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED,
                              "nobody adds members to an AVChatRoom; they join")
            if not admin:
                await self._role(conn, group_id, user_id)
                if not rules.members_invite:
                    raise denied(f"members of {group.group_type} groups cannot invite")
            added = await self._entrants(conn, group, list(dict.fromkeys(user_ids)), result)
            if added:
                await self._admit(conn, group, rules, added, user_id or "",
                                  GroupEventKind.MEMBER_INVITED, GroupTipsType.INVITE, after)
        result.succeeded = added
        await self._publish(group_id, rules, after)
        return result

    async def import_members(self, group_id: str, specs: Sequence[tuple[str, int, int]]
                             ) -> GroupUsersResp:
        """History import (the admin's ``import_group_member``): ``(user_id, role, join_time)``
        members, join times in seconds, added as they were in the old system — each keeps its
        join time, admins stay admins — and with no tip in the group's log, since nobody joined
        today. The members are told (``member_enter``) and the new members' devices get the
        conversation, as for any entry. Like any entry the new members' view of the log starts
        after what it holds now, so import the members before the group's messages (Tencent's
        order too; a message's sender must be a member when it is imported). Per user the
        answer is added, already a member (``existed``, left as they are) or failed (no such
        account, group full). Not for AVChatRoom, which has no members to import."""
        most = self._limits.group_initial_members_max
        if not 1 <= len(specs) <= most:
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, f"members: 1–{most} per call")
        now_s = now_ms() // 1000
        wanted: dict[str, tuple[int, int]] = {}
        for user_id, role, join_time in specs:
            if not 0 < join_time <= now_s:
                raise IMError(ErrorCode.GROUP_INVALID_PARAMETER,
                              f"{user_id}: join time {join_time} is not seconds in the past")
            wanted.setdefault(user_id, (role, join_time))
        result = GroupUsersResp()
        after = _After()
        async with self._db.write() as conn:
            group, rules = await self._live(conn, group_id)
            if not rules.initial_members:
                raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED,
                              "an AVChatRoom has no members to import; they join")
            allowed = (MEMBER, ADMIN) if rules.has_admins else (MEMBER,)
            for user_id, (role, _) in wanted.items():
                if role not in allowed:
                    raise IMError(ErrorCode.GROUP_INVALID_PARAMETER,
                                  f"{user_id}: a {group.group_type} group has no role {role}")
            added = await self._entrants(conn, group, list(wanted), result)
            # one entry per run of equal join times keeps the member seqs in the given order
            for join_time, run in itertools.groupby(added, key=lambda u: wanted[u][1]):
                await membership.enter(conn, group, rules, [(u, wanted[u][0]) for u in run],
                                       join_time * 1000)
            if added:
                entered = await self._members(conn, group_id, added)
                after.events.append((await self._everyone(conn, group_id), GroupEventPush(
                    group_id, GroupEventKind.MEMBER_ENTER, members=entered)))
                after.rows.update(added)
        result.succeeded = added
        await self._publish(group_id, rules, after)
        return result

    async def quit(self, user_id: str, group_id: str) -> None:
        after = _After()
        async with self._db.write() as conn:
            group, rules = await self._live(conn, group_id)
            role = await self._role(conn, group_id, user_id)
            if role == OWNER and not rules.owner_may_quit:
                raise IMError(ErrorCode.GROUP_OWNER_CANNOT_QUIT,
                              f"the owner of a {group.group_type} group dismisses it or hands "
                              "it over")
            gone = await self._members(conn, group_id, [user_id])
            await membership.leave(conn, group_id, rules, [user_id])
            if role == OWNER:
                await store.update(conn, group_id, owner="")
            after.events.append(([user_id], GroupEventPush(
                group_id, GroupEventKind.QUIT_FROM_GROUP, op_user=user_id)))
            after.events.append((await self._everyone(conn, group_id), GroupEventPush(
                group_id, GroupEventKind.MEMBER_LEAVE, op_user=user_id, members=gone)))
        after.tips.append(GroupTipsElem(tips_type=GroupTipsType.QUIT, op_user=user_id))
        after.rows.add(user_id)
        await self._publish(group_id, rules, after)

    async def dismiss(self, user_id: str | None, group_id: str, *, admin: bool = False) -> None:
        after = _After()
        async with self._db.write() as conn:
            _group, rules = await self._live(conn, group_id)
            if not admin:
                role = await self._role(conn, group_id, user_id)
                if role != OWNER:
                    raise denied("only the owner dismisses a group")
                if not rules.owner_may_dismiss:
                    raise denied("a Work group is dismissed by the business server")
            former = await membership.dissolve(conn, group_id, rules)
            await store.update(conn, group_id, dismissed=True, owner="")
            await store.drop_applications(conn, group_id)
        after.events.append((former, GroupEventPush(
            group_id, GroupEventKind.GROUP_DISMISSED, op_user=user_id or "")))
        after.rows.update(former)
        await self._publish(group_id, rules, after)

    async def kick(self, user_id: str | None, group_id: str, user_ids: list[str], reason: str,
                   *, admin: bool = False) -> GroupUsersResp:
        self._check_batch(user_ids)
        check_text("reason", reason, self._limits.group_apply_message_bytes)
        result = GroupUsersResp()
        after = _After()
        async with self._db.write() as conn:
            _group, rules = await self._live(conn, group_id)
            if not rules.kickers:
                raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED,
                              "an AVChatRoom has no kick; mute instead")
            actor = await self._role(conn, group_id, None if admin else user_id)
            if actor not in rules.kickers:
                raise denied(f"a {GroupRole(actor).name.lower()} cannot remove members here")
            wanted = list(dict.fromkeys(user_ids))
            present = await store.members(conn, group_id, wanted)
            removed: list[str] = []
            for u in wanted:
                target = present.get(u)
                if target is None:
                    result.failed[u] = ErrorCode.NOT_GROUP_MEMBER
                elif u == user_id or not may_act_on(actor, target.role):
                    result.failed[u] = ErrorCode.GROUP_PERMISSION_DENIED
                else:
                    removed.append(u)
            if removed:
                gone = await self._members(conn, group_id, removed)
                told = await self._everyone(conn, group_id)
                await membership.leave(conn, group_id, rules, removed)
                after.events.append((told, GroupEventPush(
                    group_id, GroupEventKind.MEMBER_KICKED, op_user=user_id or "",
                    members=gone, changes={"reason": reason} if reason else {})))
                after.tips.append(GroupTipsElem(tips_type=GroupTipsType.KICKED,
                                                op_user=user_id or "", user_ids=removed))
                after.rows.update(removed)
        result.succeeded = removed
        await self._publish(group_id, rules, after)
        return result

    # --- profile ---------------------------------------------------------------------------

    async def info(self, user_id: str | None, group_ids: list[str]
                   ) -> tuple[list[GroupInfo], dict[str, int]]:
        """Profiles with the caller's role; a Work group's is for its members only (§1.1)."""
        failed: dict[str, int] = {}
        async with self._db.read() as conn:
            rows = await store.many(conn, group_ids)
            roles = await store.roles_of(conn, user_id, group_ids) if user_id else {}
            shown = []
            for group_id in dict.fromkeys(group_ids):
                row = rows.get(group_id)
                if row is None or row.dismissed:
                    failed[group_id] = ErrorCode.GROUP_NOT_FOUND
                elif (user_id is not None and row.group_type == GroupType.WORK
                      and group_id not in roles):
                    failed[group_id] = ErrorCode.GROUP_PERMISSION_DENIED
                else:
                    shown.append(row)
            infos = await views.infos(conn, shown, roles)
        return infos, failed

    async def set_info(self, user_id: str | None, req: GroupSetInfoReq, *,
                       admin: bool = False, max_members: int | None = None) -> GroupInfo:
        """``max_members`` (the admin API's ``MaxMemberNum``): a new capacity, not below the
        members it has now."""
        limits = self._limits
        after = _After()
        async with self._db.write() as conn:
            group, rules = await self._live(conn, req.group_id)
            actor = await self._role(conn, req.group_id, None if admin else user_id)
            if actor not in rules.editors:
                raise denied(f"a {GroupRole(actor).name.lower()} cannot edit this group")
            values: dict[str, object] = {}
            texts = (("name", req.name, limits.group_name_bytes),
                     ("introduction", req.introduction, limits.group_introduction_bytes),
                     ("notification", req.notification, limits.group_notification_bytes),
                     ("face_url", req.face_url, limits.group_face_url_bytes))
            for name, value, most in texts:
                if value is not None:
                    values[name] = check_text(name, value, most, required=name == "name")
            await check_face(conn, req.face_url)
            if req.join_option is not None:
                values["join_option"] = join_option_for(GroupType(group.group_type), rules,
                                                        req.join_option)
            if req.all_muted is not None:
                if actor not in (OWNER, ADMIN):
                    raise denied("only the owner or an admin mutes everyone")
                values["all_muted"] = req.all_muted
            if max_members is not None:
                values["max_members"] = await self._capacity(conn, group, max_members)
            if req.custom is not None:
                values["custom"] = store.encode_custom(check_custom(
                    req.custom, limits, existing=store.custom_fields(group.custom)))
            changes = {k: _text(v) for k, v in values.items()
                       if k != "custom" and _text(getattr(group, k)) != _text(v)}
            if "max_members" in changes:  # named as GroupInfo names it
                changes["max_member_count"] = changes.pop("max_members")
            if req.custom is not None:
                old = store.custom_fields(group.custom)
                changes |= {f"custom:{k}": v for k, v in req.custom.items() if old.get(k) != v}
            if changes:
                await store.update(conn, req.group_id, info_time=now_ms(), **values)
            group, _ = await self._live(conn, req.group_id)
            info = await self._info(conn, group, actor if not admin else GroupRole.NONE)
            if changes:
                after.events.append((await self._everyone(conn, req.group_id), GroupEventPush(
                    req.group_id, GroupEventKind.GROUP_INFO_CHANGED, op_user=user_id or "",
                    changes=changes, info=info)))
                after.tips.append(GroupTipsElem(tips_type=GroupTipsType.GROUP_INFO_CHANGE,
                                                op_user=user_id or "", changes=changes))
        await self._publish(req.group_id, rules, after)
        return info

    async def _capacity(self, conn: AsyncConnection, group: sa.Row, asked: int) -> int:
        group_type = GroupType(group.group_type)
        if group_type == GroupType.AVCHATROOM:
            raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED, "an AVChatRoom has no member cap")
        capacity = max_members_for(group_type, asked, self._limits)
        members = (await store.count(conn, [group.group_id])).get(group.group_id, 0)
        if capacity < members:
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER,
                          f"max_member_count: it has {members} members already")
        return capacity

    async def transfer(self, user_id: str | None, group_id: str, new_owner: str, *,
                       admin: bool = False) -> GroupInfo:
        after = _After()
        async with self._db.write() as conn:
            group, rules = await self._live(conn, group_id)
            if not rules.transferable:
                raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED,
                              "an AVChatRoom's owner cannot be changed")
            actor = await self._role(conn, group_id, None if admin else user_id)
            if actor != OWNER:
                raise denied("only the owner hands the group over")
            target = await store.member(conn, group_id, new_owner)
            if target is None:
                raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{new_owner} is not a member")
            if target.role == OWNER:
                raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, f"{new_owner} owns it already")
            if group.owner:
                await store.update_member(conn, group_id, group.owner, role=MEMBER)
            await store.update_member(conn, group_id, new_owner, role=OWNER)
            await store.update(conn, group_id, owner=new_owner, info_time=now_ms())
            group, _ = await self._live(conn, group_id)
            info = await self._info(conn, group, GroupRole.NONE if admin else MEMBER)
            changes = {"owner": new_owner}
            after.events.append((await self._everyone(conn, group_id), GroupEventPush(
                group_id, GroupEventKind.GROUP_INFO_CHANGED, op_user=user_id or "",
                changes=changes, info=info)))
        after.tips.append(GroupTipsElem(tips_type=GroupTipsType.GROUP_INFO_CHANGE,
                                        op_user=user_id or "", changes=changes))
        await self._publish(group_id, rules, after)
        return info

    # --- members -----------------------------------------------------------------------------

    async def members(self, user_id: str | None, req: GroupMembersReq) -> GroupMembersResp:
        most = self._limits.group_members_page_max
        if not 1 <= req.count <= most:
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, f"count: 1–{most}")
        if req.next_seq < 0 or req.filter & ~0b111:
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, "next_seq or filter out of range")
        roles = None if req.filter == MemberFilter.ALL else [
            role for bit, role in _FILTER_ROLES.items() if req.filter & bit]
        async with self._db.read() as conn:
            await self._live(conn, req.group_id, lock=False)
            await self._role(conn, req.group_id, user_id)
            rows = await store.page(conn, req.group_id, roles, req.next_seq, req.count + 1)
            listed = await views.members(conn, rows[:req.count])
        more = len(rows) > req.count
        return GroupMembersResp(listed, rows[req.count - 1].member_seq if more else 0)

    async def members_info(self, user_id: str | None, group_id: str,
                           user_ids: list[str]) -> list[GroupMember]:
        most = self._limits.group_members_info_max
        if not 1 <= len(user_ids) <= most:
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, f"user_ids: 1–{most} per call")
        async with self._db.read() as conn:
            await self._live(conn, group_id, lock=False)
            await self._role(conn, group_id, user_id)
            return await self._members(conn, group_id, list(dict.fromkeys(user_ids)))

    async def _changed_member(self, conn: AsyncConnection, group_id: str, target: str,
                              op_user: str, after: _After) -> GroupMember:
        (changed,) = await self._members(conn, group_id, [target])
        after.events.append((await self._everyone(conn, group_id), GroupEventPush(
            group_id, GroupEventKind.MEMBER_INFO_CHANGED, op_user=op_user, members=[changed])))
        return changed

    async def set_member(self, user_id: str | None, req: GroupSetMemberReq, *,
                         admin: bool = False) -> GroupMember:
        after = _After()
        async with self._db.write() as conn:
            _, rules = await self._live(conn, req.group_id)
            actor = await self._role(conn, req.group_id, None if admin else user_id)
            target = await store.member(conn, req.group_id, req.user_id)
            if target is None:
                raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{req.user_id} is not a member")
            actor_id = user_id if not admin else ""
            if not admin and not may_set_name_card(actor_id or "", actor, req.user_id,
                                                   target.role):
                raise denied("you may change your own member fields only")
            values: dict[str, object] = {}
            if req.name_card is not None:
                values["name_card"] = check_text("name_card", req.name_card,
                                                 self._limits.name_card_bytes)
            if req.custom is not None:
                values["custom"] = store.encode_custom(check_custom(
                    req.custom, self._limits, existing=store.custom_fields(target.custom)))
            if values:
                await store.update_member(conn, req.group_id, req.user_id, **values)
            changed = await self._changed_member(conn, req.group_id, req.user_id,
                                                 user_id or "", after)
        await self._publish(req.group_id, rules, after)
        return changed

    async def mute(self, user_id: str | None, group_id: str, target_id: str, seconds: int, *,
                   admin: bool = False) -> GroupMember:
        """Mute for ``seconds`` from now (0 unmutes); stored as ``mute_until``."""
        if not 0 <= seconds <= 10 * 365 * 86400:
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, "seconds: 0 (unmute) to ten years")
        after = _After()
        async with self._db.write() as conn:
            _, rules = await self._live(conn, group_id)
            if not rules.muters:
                raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED, "Work groups have no muting")
            actor = await self._role(conn, group_id, None if admin else user_id)
            target = await store.member(conn, group_id, target_id)
            if target is None:
                raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{target_id} is not a member")
            if actor not in rules.muters or not may_act_on(actor, target.role):
                raise denied("your role cannot mute that member")
            until = now_ms() // 1000 + seconds if seconds else 0
            await store.update_member(conn, group_id, target_id, mute_until=until)
            changed = await self._changed_member(conn, group_id, target_id, user_id or "",
                                                 after)
        after.tips.append(GroupTipsElem(tips_type=GroupTipsType.MEMBER_INFO_CHANGE,
                                        op_user=user_id or "", user_ids=[target_id],
                                        mute={target_id: until}))
        await self._publish(group_id, rules, after)
        return changed

    async def set_role(self, user_id: str | None, group_id: str, target_id: str, role: int, *,
                       admin: bool = False) -> GroupMember:
        if role not in (ADMIN, MEMBER):
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, "role: 300 (admin) or 200 (member)")
        after = _After()
        async with self._db.write() as conn:
            _, rules = await self._live(conn, group_id)
            if not rules.has_admins:
                raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED, "this group type has no admins")
            actor = await self._role(conn, group_id, None if admin else user_id)
            if actor != OWNER:
                raise denied("only the owner appoints admins")
            target = await store.member(conn, group_id, target_id)
            if target is None:
                raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{target_id} is not a member")
            if target.role == OWNER:
                raise denied("the owner's role changes only by a transfer")
            await store.update_member(conn, group_id, target_id, role=role)
            (changed,) = await self._members(conn, group_id, [target_id])
            if target.role != role:
                kind = (GroupEventKind.GRANT_ADMINISTRATOR if role == ADMIN
                        else GroupEventKind.REVOKE_ADMINISTRATOR)
                after.events.append((await self._everyone(conn, group_id), GroupEventPush(
                    group_id, kind, op_user=user_id or "", members=[changed])))
                after.tips.append(GroupTipsElem(
                    tips_type=GroupTipsType.SET_ADMIN if role == ADMIN
                    else GroupTipsType.CANCEL_ADMIN, op_user=user_id or "",
                    user_ids=[target_id]))
        await self._publish(group_id, rules, after)
        return changed

    async def member_ids(self, group_id: str) -> list[str]:
        """Everyone in the group now (the admin's view); 10010 when there is no such group."""
        async with self._db.read() as conn:
            await self._live(conn, group_id, lock=False)
            return await self._everyone(conn, group_id)

    async def system_notice(self, group_id: str, to: list[str], data: str) -> None:
        """The admin API's custom notice (§1.12, type 255) to ``to`` or, when empty, every
        member: heard online as ``rest_custom_data`` and kept in each one's system
        conversation (not in the group's log)."""
        if not data or len(data.encode()) > self._limits.payload_bytes:
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER,
                          f"content: 1–{self._limits.payload_bytes} bytes")
        everyone = await self.member_ids(group_id)
        if to:
            outside = sorted(set(to) - set(everyone))
            if outside:
                raise IMError(ErrorCode.NOT_GROUP_MEMBER,
                              f"{outside[0]} is not a member of {group_id}")
        event = GroupEventPush(group_id, GroupEventKind.REST_CUSTOM_DATA, data=data)
        self._news.tell(to or everyone, event)
        await self._news.notify(group_id, [(sorted(set(to or everyone)), event)])

    # --- lists -------------------------------------------------------------------------------

    async def app_groups(self, group_type: str | None, after_key: int, limit: int
                         ) -> tuple[list[str], int, int]:
        """The admin's list of live groups, of one type or all: a page of IDs after the cursor
        ``after_key`` (0 for the first page), the next page's cursor (0: that was the last)
        and how many such groups there are (``store.app_groups`` says why the cursor holds)."""
        if group_type is not None:
            rules_for(group_type)  # refuses a type that is none of ours
        if limit < 1 or after_key < 0:
            raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, "limit ≥ 1, after_key ≥ 0")
        async with self._db.read() as conn:
            ids, next_key = await store.app_groups(conn, group_type, after_key, limit)
            return ids, next_key, await store.app_group_count(conn, group_type)

    async def joined(self, user_id: str) -> list[GroupInfo]:
        """Groups the user is in, AVChatRooms left out (§1.2)."""
        async with self._db.read() as conn:
            found = [(row, role) for row, role in await store.joined(conn, user_id)
                     if rules_for(row.group_type).listed_in_joined]
            return await views.infos(conn, [r for r, _ in found],
                                     {r.group_id: role for r, role in found})

    async def search(self, user_id: str, group_id: str) -> GroupInfo:
        async with self._db.read() as conn:
            group, rules = await self._live(conn, group_id, lock=False)
            if not rules.searchable:
                raise IMError(ErrorCode.GROUP_NOT_FOUND, f"no group {group_id!r}")
            roles = await store.roles_of(conn, user_id, [group_id])
            return await self._info(conn, group, roles.get(group_id, GroupRole.NONE))

    # --- applications ------------------------------------------------------------------------

    async def applications(self, user_id: str) -> list[GroupApplication]:
        """Applications to the groups the user owns or administers."""
        async with self._db.read() as conn:
            mine = [row.group_id for row, role in await store.joined(conn, user_id)
                    if role in (OWNER, ADMIN)]
            rows = await store.applications_for(conn, mine)
        return [_application(r) for r in rows]

    async def decide(self, user_id: str, req: GroupDecideReq) -> GroupApplication:
        """Accept or refuse; the first of the owner and admins to decide wins (10024 for the
        others), the applicant is told, and so are the other deciders."""
        check_text("reason", req.reason, self._limits.group_apply_message_bytes)
        after = _After()
        async with self._db.write() as conn:
            group, rules = await self._live(conn, req.group_id)
            actor = await self._role(conn, req.group_id, user_id)
            if actor not in (OWNER, ADMIN):
                raise denied("only the owner or an admin decides applications")
            pending = await store.application(conn, req.group_id, req.applicant)
            if pending is None:
                raise IMError(ErrorCode.GROUP_INVALID_PARAMETER,
                              f"no application from {req.applicant!r}")
            if pending.status != ApplicationStatus.PENDING:
                raise IMError(ErrorCode.APPLICATION_HANDLED,
                              f"{pending.handler} decided it already")
            joining = req.accept and await store.member(conn, req.group_id,
                                                        req.applicant) is None
            if joining:
                await self._check_room(conn, group, 1)
            status = ApplicationStatus.ACCEPTED if req.accept else ApplicationStatus.REFUSED
            if not await store.decide(conn, req.group_id, req.applicant, status, user_id,
                                      req.reason):
                raise IMError(ErrorCode.APPLICATION_HANDLED, "someone decided it first")
            decided = _application(await store.application(conn, req.group_id, req.applicant))
            deciders = await store.ids_with_role(conn, req.group_id, (OWNER, ADMIN))
            after.events.append(([req.applicant], GroupEventPush(
                req.group_id, GroupEventKind.APPLICATION_PROCESSED, op_user=user_id,
                application=decided)))
            after.events.append(([d for d in deciders if d != user_id], GroupEventPush(
                req.group_id, GroupEventKind.APPLICATION_PROCESSED, op_user=user_id,
                application=decided)))
            if joining:
                await self._admit(conn, group, rules, [req.applicant], req.applicant,
                                  GroupEventKind.MEMBER_ENTER, GroupTipsType.JOIN, after)
        await self._publish(req.group_id, rules, after)
        return decided


def _application(row: sa.Row) -> GroupApplication:
    return GroupApplication(group_id=row.group_id, applicant=row.applicant, message=row.message,
                            time=row.time // 1000, status=row.status, handler=row.handler,
                            handle_message=row.handle_message)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(int(value)) if isinstance(value, int) else str(value)
