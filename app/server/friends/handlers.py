"""The ``friend.*`` commands and ``profile.get``/``profile.set`` → ``Friendships``, as the
session's user."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app.protocol import Cmd
from app.protocol import friends as f
from app.protocol.commands import Empty, ProfileGetReq, ProfileGetResp, ProfileSetReq
from app.server.container import Services
from app.server.sessions import LiveSession

Handler = Callable[[LiveSession, Any], Awaitable[Any]]

READ_ONLY = frozenset({Cmd.PROFILE_GET, Cmd.FRIEND_CHECK, Cmd.FRIEND_LIST, Cmd.FRIEND_INFO,
                       Cmd.FRIEND_APPLICATIONS, Cmd.FRIEND_GROUPS, Cmd.BLACK_LIST})


def friend_handlers(services: Services) -> dict[str, Handler]:
    chain = services.friends
    friends, applications = chain.relationships, chain.applications
    groups, blacklist = chain.groups, chain.blacklist

    async def profile_get(s: LiveSession, req: ProfileGetReq) -> object:
        return ProfileGetResp(await chain.profiles.get(req.user_ids))

    async def profile_set(s: LiveSession, req: ProfileSetReq) -> object:
        return await chain.profiles.set(s.user_id, req, s.id)

    async def add(s: LiveSession, req: f.FriendAddReq) -> object:
        return await friends.add(s.user_id, req)

    async def delete(s: LiveSession, req: f.FriendTypedReq) -> object:
        return f.FriendResultsResp(await friends.delete(s.user_id, req.user_ids, req.type))

    async def check(s: LiveSession, req: f.FriendTypedReq) -> object:
        return f.FriendCheckResp(await friends.check(s.user_id, req.user_ids, req.type))

    async def list_friends(s: LiveSession, req: f.FriendListReq) -> object:
        return await friends.list(s.user_id, req.after, req.count)

    async def info(s: LiveSession, req: f.UserIdsReq) -> object:
        return f.FriendInfoResp(await friends.info(s.user_id, req.user_ids))

    async def set_info(s: LiveSession, req: f.FriendSetInfoReq) -> object:
        return await friends.set_info(s.user_id, req)

    async def list_applications(s: LiveSession, req: f.ApplicationsReq) -> object:
        return await applications.list(s.user_id, req.type, req.start, req.count)

    async def accept(s: LiveSession, req: f.AcceptReq) -> object:
        return await applications.accept(s.user_id, req.user_id, req.type, req.remark)

    async def refuse(s: LiveSession, req: f.ApplicationReq) -> object:
        return await applications.refuse(s.user_id, req.user_id)

    async def delete_application(s: LiveSession, req: f.ApplicationReq) -> object:
        return await applications.delete(s.user_id, req.user_id, req.type)

    async def set_read(s: LiveSession, req: f.ApplicationsReadReq) -> object:
        await applications.set_read(s.user_id, req.until)
        return Empty()

    async def group_create(s: LiveSession, req: f.FriendGroupCreateReq) -> object:
        return f.FriendResultsResp(await groups.create(s.user_id, [req.name], req.user_ids))

    async def group_delete(s: LiveSession, req: f.FriendGroupNamesReq) -> object:
        await groups.delete(s.user_id, req.names)
        return Empty()

    async def group_rename(s: LiveSession, req: f.FriendGroupRenameReq) -> object:
        await groups.rename(s.user_id, req.old_name, req.new_name)
        return Empty()

    async def group_list(s: LiveSession, req: f.FriendGroupNamesReq) -> object:
        return f.FriendGroupsResp(await groups.list(s.user_id, req.names))

    async def group_add(s: LiveSession, req: f.FriendGroupMembersReq) -> object:
        return f.FriendResultsResp(await groups.add_members(s.user_id, req.name, req.user_ids))

    async def group_remove(s: LiveSession, req: f.FriendGroupMembersReq) -> object:
        return f.FriendResultsResp(
            await groups.remove_members(s.user_id, req.name, req.user_ids))

    async def black_add(s: LiveSession, req: f.UserIdsReq) -> object:
        return f.FriendResultsResp(await blacklist.add(s.user_id, req.user_ids))

    async def black_remove(s: LiveSession, req: f.UserIdsReq) -> object:
        return f.FriendResultsResp(await blacklist.remove(s.user_id, req.user_ids))

    async def black_list(s: LiveSession, req: Empty) -> object:
        return f.BlackListResp(await blacklist.list(s.user_id))

    return {
        Cmd.PROFILE_GET: profile_get, Cmd.PROFILE_SET: profile_set,
        Cmd.FRIEND_ADD: add, Cmd.FRIEND_DELETE: delete, Cmd.FRIEND_CHECK: check,
        Cmd.FRIEND_LIST: list_friends, Cmd.FRIEND_INFO: info, Cmd.FRIEND_SET_INFO: set_info,
        Cmd.FRIEND_APPLICATIONS: list_applications, Cmd.FRIEND_ACCEPT: accept,
        Cmd.FRIEND_REFUSE: refuse, Cmd.FRIEND_DELETE_APPLICATION: delete_application,
        Cmd.FRIEND_SET_APPLICATIONS_READ: set_read,
        Cmd.FRIEND_GROUP_CREATE: group_create, Cmd.FRIEND_GROUP_DELETE: group_delete,
        Cmd.FRIEND_GROUP_RENAME: group_rename, Cmd.FRIEND_GROUPS: group_list,
        Cmd.FRIEND_GROUP_ADD: group_add, Cmd.FRIEND_GROUP_REMOVE: group_remove,
        Cmd.BLACK_ADD: black_add, Cmd.BLACK_REMOVE: black_remove, Cmd.BLACK_LIST: black_list,
    }
