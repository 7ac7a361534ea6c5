"""Profiles (R1, §3): reading anyone's, writing one's own (or, as the App admin, anyone's and
the admin-only ban on sending friend requests). A change is told as ``profile.changed`` to the
user's other sessions and to every user who has them in their friend list (§4.7: a friend's
profile change is friend information changing), never to strangers."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from app.protocol import ErrorCode, IMError, Limits
from app.protocol.commands import ProfileSetReq
from app.protocol.friends import Profile
from app.protocol.ids import is_valid_user_id
from app.server.media.access import check_face
from app.server.store import accounts as accounts_store
from app.server.store import friends as friends_store
from app.server.store import profiles as store
from app.server.store.db import Database

from .fields import profile_changes
from .news import FriendNews, Tellings


class Profiles:
    def __init__(self, db: Database, news: FriendNews, limits: Limits,
                 custom_fields: Collection[str]) -> None:
        self._db = db
        self._news = news
        self._limits = limits
        self.custom_fields = custom_fields
        """Custom field names this service keeps (empty: any well-formed name)."""

    async def get(self, user_ids: Sequence[str], *,
                  invalid: ErrorCode = ErrorCode.INVALID_BODY) -> list[Profile]:
        """Profiles of the accounts that exist, in request order; unknown IDs are left out."""
        if len(user_ids) > self._limits.profile_batch_max:
            raise IMError(invalid, f"user_ids: at most {self._limits.profile_batch_max}")
        wanted = list(dict.fromkeys(u for u in user_ids if is_valid_user_id(u)))
        async with self._db.read() as conn:
            found = await store.profiles(conn, wanted)
        return [found[u] for u in wanted if u in found]

    async def set(self, user_id: str, req: ProfileSetReq, origin: str | None, *,
                  admin_forbid_type: int | None = None,
                  missing: ErrorCode = ErrorCode.ACCOUNT_NOT_FOUND) -> Profile:
        """Change the given fields (nothing given: nothing changes and nobody is told).
        ``missing`` is the code of an unknown account: the WebSocket's, or 40003 for
        ``portrait_set``."""
        tellings = Tellings()
        async with self._db.write() as conn:
            before = (await store.profiles(conn, [user_id])).get(user_id)
            if before is None:
                raise IMError(missing, f"no account {user_id!r}")
            account, extra = profile_changes(req, before.custom, self._limits,
                                             self.custom_fields,
                                             admin_forbid_type=admin_forbid_type)
            await check_face(conn, account.get("face_url"))
            profile = await accounts_store.update_profile(
                conn, user_id, nick=account.get("nick"), face_url=account.get("face_url"),
                extra=extra)
            assert profile is not None  # the account exists: it was read in this transaction
            if account or extra:
                holders = await friends_store.holders(conn, user_id)
                tellings.profiles.append(([user_id, *sorted(holders)], profile, origin))
        self._news.publish(tellings)
        return profile
