"""The admin REST API (OPS2) in the shape of Tencent's server API:
``POST /v4/<service>/<command>?sdkappid=&identifier=&usersig=&random=&contenttype=json``.

This module is the route table and the one endpoint that checks the admin's identity and
dispatches; each Tencent service has its module — ``login_svc`` (accounts), ``openim``
(messages), ``presence`` (openim's online status), ``profile``, ``sns`` and ``sns_lists``
(friends; blacklists and friend groups) — and the field readers they
share are in ``fields``. Field names, item lists and per-item ``ResultCode`` follow Tencent's
documentation so existing integrations can point at this service; times in bodies are seconds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.server.container import Services

from . import (
    group_admin,
    group_attr,
    group_msg,
    group_svc,
    login_svc,
    openim,
    presence,
    profile,
    sns,
    sns_lists,
)
from .envelope import api, json_object, refusal, services_of, verify_admin

Command = Callable[[Services, dict[str, Any]], Awaitable[Response]]

COMMANDS: dict[tuple[str, str], Command] = {
    ("im_open_login_svc", "account_import"): login_svc.account_import,
    ("im_open_login_svc", "multiaccount_import"): login_svc.multiaccount_import,
    ("im_open_login_svc", "account_check"): login_svc.account_check,
    ("im_open_login_svc", "account_delete"): login_svc.account_delete,
    ("im_open_login_svc", "kick"): login_svc.kick,
    ("openim", "sendmsg"): openim.sendmsg,
    ("openim", "batchsendmsg"): openim.batchsendmsg,
    ("openim", "importmsg"): openim.importmsg,
    ("openim", "admin_getroammsg"): openim.admin_getroammsg,
    ("openim", "admin_msgwithdraw"): openim.admin_msgwithdraw,
    ("openim", "admin_set_msg_read"): openim.admin_set_msg_read,
    ("openim", "modify_c2c_msg"): openim.modify_c2c_msg,
    ("openim", "modify_group_msg"): group_msg.modify_group_msg,
    ("openim", "get_c2c_unread_msg_num"): openim.get_c2c_unread_msg_num,
    ("openim", "query_online_status"): presence.query_online_status,
    ("openim", "querystate"): presence.querystate,
    ("profile", "portrait_get"): profile.portrait_get,
    ("profile", "portrait_set"): profile.portrait_set,
    ("sns", "friend_add"): sns.friend_add,
    ("sns", "friend_import"): sns.friend_import,
    ("sns", "friend_update"): sns.friend_update,
    ("sns", "friend_delete"): sns.friend_delete,
    ("sns", "friend_delete_all"): sns.friend_delete_all,
    ("sns", "friend_check"): sns.friend_check,
    ("sns", "friend_get"): sns.friend_get,
    ("sns", "friend_get_list"): sns.friend_get_list,
    ("sns", "black_list_add"): sns_lists.black_list_add,
    ("sns", "black_list_delete"): sns_lists.black_list_delete,
    ("sns", "black_list_get"): sns_lists.black_list_get,
    ("sns", "black_list_check"): sns_lists.black_list_check,
    ("sns", "group_add"): sns_lists.group_add,
    ("sns", "group_delete"): sns_lists.group_delete,
    ("sns", "group_get"): sns_lists.group_get,
    ("group_open_http_svc", "create_group"): group_svc.create_group,
    ("group_open_http_svc", "destroy_group"): group_svc.destroy_group,
    ("group_open_http_svc", "get_group_info"): group_svc.get_group_info,
    ("group_open_http_svc", "get_joined_group_list"): group_svc.get_joined_group_list,
    ("group_open_http_svc", "get_group_member_info"): group_svc.get_group_member_info,
    ("group_open_http_svc", "add_group_member"): group_svc.add_group_member,
    ("group_open_http_svc", "delete_group_member"): group_svc.delete_group_member,
    ("group_open_http_svc", "send_group_msg"): group_msg.send_group_msg,
    ("group_open_http_svc", "import_group_msg"): group_msg.import_group_msg,
    ("group_open_http_svc", "group_msg_get_simple"): group_msg.group_msg_get_simple,
    ("group_open_http_svc", "group_msg_recall"): group_msg.group_msg_recall,
    ("group_open_http_svc", "set_unread_msg_num"): group_msg.set_unread_msg_num,
    ("group_open_http_svc", "delete_group_msg_by_sender"): group_msg.delete_group_msg_by_sender,
    ("group_open_http_svc", "send_group_system_notification"):
        group_msg.send_group_system_notification,
    ("group_open_http_svc", "get_online_member_num"): group_msg.get_online_member_num,
    ("group_open_http_svc", "modify_group_base_info"): group_admin.modify_group_base_info,
    ("group_open_http_svc", "modify_group_member_info"): group_admin.modify_group_member_info,
    ("group_open_http_svc", "forbid_send_msg"): group_admin.forbid_send_msg,
    ("group_open_http_svc", "get_group_shutted_uin"): group_admin.get_group_shutted_uin,
    ("group_open_http_svc", "get_role_in_group"): group_admin.get_role_in_group,
    ("group_open_http_svc", "change_group_owner"): group_admin.change_group_owner,
    ("group_open_http_svc", "get_appid_group_list"): group_admin.get_appid_group_list,
    ("group_open_http_svc", "import_group_member"): group_admin.import_group_member,
    ("group_open_http_svc", "modify_group_attr"): group_attr.modify_group_attr,
    ("group_open_http_svc", "clear_group_attr"): group_attr.clear_group_attr,
    ("group_open_http_svc", "get_group_attr"): group_attr.get_group_attr,
    ("group_open_attr_http_svc", "get_group_attr"): group_attr.get_group_attr,
}


@api
async def endpoint(request: Request) -> Response:
    command = COMMANDS.get((request.path_params["service"], request.path_params["command"]))
    if command is None:
        return refusal(IMError(ErrorCode.UNKNOWN_API, f"unknown API {request.url.path}"), 404)
    services = services_of(request)
    verify_admin(request, services.config)
    return await command(services, await json_object(request))
