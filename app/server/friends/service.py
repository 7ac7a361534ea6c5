"""The relationship chain assembled: one object per job over one database and one bus, so the
WebSocket handlers and the admin REST API reach the same code."""

from __future__ import annotations

from app.server.bus import Bus
from app.server.config import ServerConfig
from app.server.store.db import Database

from .applications import Applications
from .blacklist import Blacklist
from .friend_groups import FriendGroups
from .news import FriendNews
from .profiles import Profiles
from .relationships import Relationships


class Friendships:
    def __init__(self, db: Database, bus: Bus, config: ServerConfig) -> None:
        news = FriendNews(bus)
        limits = config.limits
        self.profiles = Profiles(db, news, limits, config.profile_custom_fields)
        self.relationships = Relationships(db, news, limits, config.friend_custom_fields)
        self.applications = Applications(db, news, limits)
        self.groups = FriendGroups(db, news, limits)
        self.blacklist = Blacklist(db, news, limits)
