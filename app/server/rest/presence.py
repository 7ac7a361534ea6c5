"""Tencent's online-status commands of ``/v4/openim``: ``query_online_status`` and its older
form ``querystate``, answered from the database (``services.presence``), so any node answers
for sessions on every node.

Tencent names platforms by operating system; the service knows the terminal class a client
signed in as, so desktops answer as ``PC``, browsers as ``Web``, and phones and tablets as
``Mobile`` and ``Pad``.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError, Platform
from app.server.container import Services
from app.server.services.presence import Status, UserPresence

from .envelope import field, ok
from .fields import BAD, strings

ACCOUNTS_MAX: Final = 500
STATUS_NAMES: Final = {Status.ONLINE: "Online", Status.PUSH_ONLINE: "PushOnline",
                       Status.OFFLINE: "Offline"}
PLATFORM_NAMES: Final = {Platform.DESKTOP: "PC", Platform.WEB: "Web",
                         Platform.MOBILE: "Mobile", Platform.PAD: "Pad"}


async def _statuses(services: Services, body: dict[str, Any],
                    ) -> tuple[dict[str, UserPresence], list[dict[str, Any]]]:
    """The presence of each account asked about, in request order, and the ErrorList entries
    of the UserIDs that are not accounts."""
    user_ids = list(dict.fromkeys(strings(body, "To_Account", ACCOUNTS_MAX)))
    found = await services.accounts.existing(user_ids)
    presence = await services.presence.statuses([u for u in user_ids if u in found])
    errors = [{"To_Account": u, "ErrorCode": int(ErrorCode.ACCOUNT_NOT_FOUND)}
              for u in user_ids if u not in found]
    return {u: presence[u] for u in user_ids if u in found}, errors


async def query_online_status(services: Services, body: dict[str, Any]) -> Response:
    """``QueryResult``: Online (connected), PushOnline (signed in, not connected) or Offline
    per account; with ``IsNeedDetail`` 1, the status of each platform signed in too."""
    detail = field(body, "IsNeedDetail", int, BAD, 0)
    if detail not in (0, 1):
        raise IMError(BAD, "IsNeedDetail: 0 (status only) or 1 (per platform too)")
    statuses, errors = await _statuses(services, body)
    results = []
    for user_id, presence in statuses.items():
        result: dict[str, Any] = {"To_Account": user_id,
                                  "Status": STATUS_NAMES[presence.status]}
        if detail:
            result["Detail"] = [
                {"Platform": PLATFORM_NAMES.get(platform, platform),
                 "Status": STATUS_NAMES[status]}
                for platform, status in presence.platforms.items()]
        results.append(result)
    return ok(QueryResult=results, ErrorList=errors)


async def querystate(services: Services, body: dict[str, Any]) -> Response:
    """The older form: ``QueryResult: [{To_Account, State}]``."""
    statuses, errors = await _statuses(services, body)
    return ok(QueryResult=[{"To_Account": u, "State": STATUS_NAMES[p.status]}
                           for u, p in statuses.items()], ErrorList=errors)
