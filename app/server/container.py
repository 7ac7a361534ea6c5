"""The assembled service: one database, one session registry and bus, the services over them.

Built once per process by the app's lifespan; the gateway and the REST endpoints reach the
services through it.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.server.bus import Bus
from app.server.bus.local import LocalBus
from app.server.config import ServerConfig
from app.server.friends.gate import C2CPolicy
from app.server.friends.service import Friendships
from app.server.groups.news import GroupNews
from app.server.groups.notices import GroupNotices
from app.server.groups.service import GroupService
from app.server.ratelimit import Throttles
from app.server.services.accounts import AccountService
from app.server.services.content import SensitiveWords
from app.server.services.conversations import ConversationService
from app.server.services.devices import DeviceService
from app.server.services.identity import StoreIdentity
from app.server.services.messaging import MessagingService
from app.server.services.modification import ModificationService
from app.server.services.presence import PresenceService
from app.server.services.revocation import RevocationService
from app.server.services.writer import MessageWriter
from app.server.sessions import SessionRegistry
from app.server.store.db import Database


@dataclass(frozen=True, slots=True)
class Services:
    config: ServerConfig
    db: Database
    identity: StoreIdentity
    registry: SessionRegistry
    bus: Bus
    accounts: AccountService
    devices: DeviceService
    conversations: ConversationService
    messaging: MessagingService
    revocations: RevocationService
    modifications: ModificationService
    presence: PresenceService
    writer: MessageWriter
    groups: GroupService
    friends: Friendships
    throttles: Throttles

    @classmethod
    async def open(cls, config: ServerConfig) -> Services:
        words = SensitiveWords.from_file(config.sensitive_words_file)
        db = Database(config.database_url)
        try:
            await db.open()
            identity = await StoreIdentity.open(db)
        except BaseException:
            await db.close()
            raise
        # The node is this process: its epoch names it (see services.presence).
        presence = PresenceService(db, identity.epoch, config.heartbeat_s)
        registry = SessionRegistry(on_remove=presence.disconnected)
        bus = LocalBus(registry)
        conversations = ConversationService(db, bus, config.limits)
        writer = MessageWriter(db, bus, conversations,
                               C2CPolicy(config.blacklist_send_error, config.c2c_friends_only))
        accounts = AccountService(db, bus, conversations.live_rows, config.limits,
                                  sdk_app_id=config.sdk_app_id, secret_key=config.secret_key,
                                  registration_open=config.registration_open)
        revocations = RevocationService(db, bus, conversations)
        services = cls(
            config=config, db=db, identity=identity, registry=registry, bus=bus,
            accounts=accounts,
            devices=DeviceService(db, bus, presence, config.max_sessions_per_platform),
            conversations=conversations,
            messaging=MessagingService(db, bus, writer, conversations, words, config.limits),
            revocations=revocations,
            modifications=ModificationService(db, bus, revocations, words, config.limits),
            presence=presence,
            writer=writer,
            groups=GroupService(db, GroupNews(bus, writer, conversations,
                                                GroupNotices(db, writer)), config.limits),
            friends=Friendships(db, bus, config),
            throttles=Throttles.of(config.rate_login, config.rate_login_failures,
                                   config.rate_register, config.rate_send))
        # The admin identity sends REST messages without From_Account, so it is an account.
        await accounts.import_account(config.admin, None, None)
        await presence.start()
        writer.start()
        return services

    async def close(self) -> None:
        await self.writer.stop()
        await self.presence.stop()
        await self.db.close()
