"""Tencent's relationship service for blacklists and friend groups, ``/v4/sns/black_list_*``
and ``/v4/sns/group_*`` (``group`` here is a friend group, not a chat group), in its shapes,
over the same code as the WebSocket's ``friend.black_*`` and ``friend.group_*``."""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import IMError
from app.server.container import Services

from .envelope import field, ok
from .fields import integer, strings, user_id
from .sns import BAD, accounts, answered, choice

BLACK_MAX: Final = 1000
BLACK_CHECK: Final = {"BlackCheckResult_Type_Single": False, "BlackCheckResult_Type_Both": True}
BLACK_RELATIONS: Final = {(False, False): "BlackCheckResult_Type_NO",
                          (True, False): "BlackCheckResult_Type_AWithB",
                          (False, True): "BlackCheckResult_Type_BWithA",
                          (True, True): "BlackCheckResult_Type_BothWay"}


async def black_list_add(services: Services, body: dict[str, Any]) -> Response:
    owner = user_id(body, "From_Account", code=BAD)
    return answered(await services.friends.blacklist.add(owner, accounts(body, most=BLACK_MAX)))


async def black_list_delete(services: Services, body: dict[str, Any]) -> Response:
    owner = user_id(body, "From_Account", code=BAD)
    return answered(await services.friends.blacklist.remove(
        owner, accounts(body, most=BLACK_MAX)))


async def black_list_get(services: Services, body: dict[str, Any]) -> Response:
    """Oldest block first, ``MaxLimited`` from ``StartIndex``; ``StartIndex`` in the answer is
    where the next page starts (0: none)."""
    owner = user_id(body, "From_Account", code=BAD)
    start = integer(body, "StartIndex", 0, 2**31, default=0, code=BAD)
    most = integer(body, "MaxLimited", 1, BLACK_MAX, default=BLACK_MAX, code=BAD)
    entries = await services.friends.blacklist.list(owner)
    page = entries[start:start + most]
    following = start + most if start + most < len(entries) else 0
    return ok(BlackListItem=[{"To_Account": e.user_id, "AddBlackTimeStamp": e.add_time // 1000}
                             for e in page], StartIndex=following, CurruentSequence=0)


async def black_list_check(services: Services, body: dict[str, Any]) -> Response:
    """Single: do I block them; Both: that and whether they block me."""
    owner = user_id(body, "From_Account", code=BAD)
    both = choice(body, "CheckType", BLACK_CHECK, "BlackCheckResult_Type_Both")
    checked = await services.friends.blacklist.check(owner, accounts(body, most=BLACK_MAX))
    return ok(BlackListCheckItem=[
        {"To_Account": u, "Relation": BLACK_RELATIONS[(mine, theirs and both)],
         "ResultCode": 0, "ResultInfo": ""} for u, (mine, theirs) in checked.items()],
        Fail_Account=[])


def _names(services: Services, body: dict[str, Any]) -> list[str]:
    most = services.config.limits.friend_groups_max
    return list(dict.fromkeys(strings(body, "GroupName", most, code=BAD)))


async def group_add(services: Services, body: dict[str, Any]) -> Response:
    """New friend groups, each with the friends in ``To_Account`` (31704 for one not in the
    list): all of them, or none when one name is taken."""
    owner = user_id(body, "From_Account", code=BAD)
    members = accounts(body) if body.get("To_Account") is not None else []
    results = await services.friends.groups.create(owner, _names(services, body), members)
    return answered(results, CurrentSequence=0)


async def group_delete(services: Services, body: dict[str, Any]) -> Response:
    owner = user_id(body, "From_Account", code=BAD)
    await services.friends.groups.delete(owner, _names(services, body))
    return ok(CurrentSequence=0)


async def group_get(services: Services, body: dict[str, Any]) -> Response:
    """The groups (those named in ``GroupName``, or all) with their friend counts, and the
    friends when ``NeedFriend`` is ``Need_Friend_Type_Yes``."""
    owner = user_id(body, "From_Account", code=BAD)
    need = field(body, "NeedFriend", str, BAD, "Need_Friend_Type_No")
    if need not in ("Need_Friend_Type_Yes", "Need_Friend_Type_No"):
        raise IMError(BAD, "NeedFriend: Need_Friend_Type_Yes or Need_Friend_Type_No")
    names = _names(services, body) if body.get("GroupName") is not None else []
    groups = await services.friends.groups.list(owner, names)
    items = []
    for group in groups:
        item: dict[str, Any] = {"GroupName": group.name, "FriendNumber": len(group.user_ids)}
        if need == "Need_Friend_Type_Yes":
            item["To_Account"] = group.user_ids
        items.append(item)
    return ok(ResultItem=items, CurrentSequence=0)
