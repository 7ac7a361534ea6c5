"""The ``group.*`` commands → ``GroupService`` (attributes: ``GroupAttributes``), as the
session's user."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app.protocol import Cmd
from app.protocol import groups as g
from app.protocol.commands import Empty
from app.server.container import Services
from app.server.sessions import LiveSession

from .attributes import GroupAttributes

Handler = Callable[[LiveSession, Any], Awaitable[Any]]


def group_handlers(services: Services) -> dict[str, Handler]:
    groups = services.groups
    # Stateless over the database and the bus, so this one and the REST API's are the same.
    attributes = GroupAttributes(services.db, services.bus, services.config.limits)

    async def create(s: LiveSession, req: g.GroupCreateReq) -> object:
        return g.GroupIdResp(await groups.create(s.user_id, req))

    async def join(s: LiveSession, req: g.GroupJoinReq) -> object:
        return g.GroupJoinResp(await groups.join(s.user_id, req.group_id, req.message))

    async def invite(s: LiveSession, req: g.GroupUsersReq) -> object:
        return await groups.invite(s.user_id, req.group_id, req.user_ids)

    async def quit_group(s: LiveSession, req: g.GroupIdReq) -> object:
        await groups.quit(s.user_id, req.group_id)
        return Empty()

    async def dismiss(s: LiveSession, req: g.GroupIdReq) -> object:
        await groups.dismiss(s.user_id, req.group_id)
        return Empty()

    async def kick(s: LiveSession, req: g.GroupUsersReq) -> object:
        return await groups.kick(s.user_id, req.group_id, req.user_ids, req.reason)

    async def info(s: LiveSession, req: g.GroupInfoReq) -> object:
        found, failed = await groups.info(s.user_id, req.group_ids)
        return g.GroupInfoResp(found, failed)

    async def set_info(s: LiveSession, req: g.GroupSetInfoReq) -> object:
        return await groups.set_info(s.user_id, req)

    async def members(s: LiveSession, req: g.GroupMembersReq) -> object:
        return await groups.members(s.user_id, req)

    async def members_info(s: LiveSession, req: g.GroupMembersInfoReq) -> object:
        return g.GroupMembersInfoResp(
            await groups.members_info(s.user_id, req.group_id, req.user_ids))

    async def set_member(s: LiveSession, req: g.GroupSetMemberReq) -> object:
        return await groups.set_member(s.user_id, req)

    async def mute(s: LiveSession, req: g.GroupMuteReq) -> object:
        return await groups.mute(s.user_id, req.group_id, req.user_id, req.seconds)

    async def set_role(s: LiveSession, req: g.GroupRoleReq) -> object:
        return await groups.set_role(s.user_id, req.group_id, req.user_id, req.role)

    async def transfer(s: LiveSession, req: g.GroupTransferReq) -> object:
        return await groups.transfer(s.user_id, req.group_id, req.user_id)

    async def joined(s: LiveSession, req: Empty) -> object:
        return g.GroupListResp(await groups.joined(s.user_id))

    async def search(s: LiveSession, req: g.GroupIdReq) -> object:
        return await groups.search(s.user_id, req.group_id)

    async def applications(s: LiveSession, req: Empty) -> object:
        return g.GroupApplicationsResp(await groups.applications(s.user_id))

    async def decide(s: LiveSession, req: g.GroupDecideReq) -> object:
        return await groups.decide(s.user_id, req)

    async def attr_init(s: LiveSession, req: g.GroupAttrsReq) -> object:
        return g.GroupAttrsResp(await attributes.init(s.user_id, req.group_id, req.attributes))

    async def attr_set(s: LiveSession, req: g.GroupAttrsReq) -> object:
        return g.GroupAttrsResp(await attributes.set(s.user_id, req.group_id, req.attributes))

    async def attr_delete(s: LiveSession, req: g.GroupAttrKeysReq) -> object:
        return g.GroupAttrsResp(await attributes.delete(s.user_id, req.group_id, req.keys))

    async def attr_get(s: LiveSession, req: g.GroupAttrKeysReq) -> object:
        return g.GroupAttrsResp(await attributes.get(s.user_id, req.group_id, req.keys))

    return {
        Cmd.GROUP_CREATE: create, Cmd.GROUP_JOIN: join, Cmd.GROUP_INVITE: invite,
        Cmd.GROUP_QUIT: quit_group, Cmd.GROUP_DISMISS: dismiss, Cmd.GROUP_KICK: kick,
        Cmd.GROUP_INFO: info, Cmd.GROUP_SET_INFO: set_info, Cmd.GROUP_MEMBERS: members,
        Cmd.GROUP_MEMBERS_INFO: members_info, Cmd.GROUP_SET_MEMBER: set_member,
        Cmd.GROUP_MUTE: mute, Cmd.GROUP_SET_ROLE: set_role, Cmd.GROUP_TRANSFER: transfer,
        Cmd.GROUP_JOINED: joined, Cmd.GROUP_SEARCH: search,
        Cmd.GROUP_APPLICATIONS: applications, Cmd.GROUP_DECIDE: decide,
        Cmd.GROUP_ATTR_INIT: attr_init, Cmd.GROUP_ATTR_SET: attr_set,
        Cmd.GROUP_ATTR_DELETE: attr_delete, Cmd.GROUP_ATTR_GET: attr_get,
    }
