"""Limits both sides agree on. The service's values are configurable; these are the defaults the
documentation gives, and the SDK checks them early so a user learns before a round trip."""

from __future__ import annotations

from dataclasses import dataclass

CLIENT_FRAME_MAX = 4 * 1024 * 1024
"""Largest frame the SDK accepts from the service."""
USER_ID_MAX_BYTES = 32
MESSAGE_ID_MAX_LEN = 64
GROUP_ID_MAX_BYTES = 48


@dataclass(frozen=True, slots=True)
class Limits:
    payload_bytes: int = 12 * 1024
    """Text/custom payload: the encoded element list plus cloud custom data."""
    frame_bytes: int = 1024 * 1024
    """Largest request frame the gateway parses; larger ones are answered with 9522."""
    answer_bytes: int = 1024 * 1024
    """Budget of one paged answer (``msg.pull``, ``msg.history``, ``conv.sync``), every field of
    the encoded body counted; well below ``CLIENT_FRAME_MAX`` so a client can always take a page.
    A single item larger than the budget still goes out alone."""
    history_page_max: int = 100
    history_page_default: int = 20
    pull_batch_max: int = 1000
    pull_ranges_max: int = 100
    """Ranges per ``msg.pull``: each costs a lookup even when it yields nothing."""
    delete_batch_max: int = 30
    """Seqs per ``msg.delete`` (Tencent's deleteMessages limit)."""
    conversation_page_default: int = 50
    profile_batch_max: int = 100
    nick_bytes: int = 64
    face_url_bytes: int = 500
    self_signature_bytes: int = 500
    location_bytes: int = 16
    """Tencent's ``Tag_Profile_IM_Location``: four uint32 region codes' worth."""
    custom_key_bytes: int = 8
    """A custom field's name after its prefix (``Tag_Profile_Custom_``, ``Tag_SNS_Custom_``):
    letters and digits."""
    custom_value_bytes: int = 500
    custom_keys_max: int = 20
    """Custom fields one profile, or one friend record, may hold."""
    friends_max: int = 3000
    """Records in one user's friend list (30010 for mine, 30014 for theirs)."""
    friend_remark_bytes: int = 96
    add_wording_bytes: int = 120
    add_source_bytes: int = 8
    """After the ``AddSource_Type_`` prefix."""
    friend_group_name_bytes: int = 30
    friend_groups_max: int = 30
    friend_batch_max: int = 100
    """Users one delete, check, info or friend-group call names."""
    black_batch_max: int = 1000
    """Users one blacklist add or remove names (Web's limit)."""
    friend_page_max: int = 1000
    application_page_max: int = 100
    draft_bytes: int = 12 * 1024
    image_bytes: int = 28 * 1024 * 1024
    sound_bytes: int = 28 * 1024 * 1024
    video_bytes: int = 100 * 1024 * 1024
    file_bytes: int = 100 * 1024 * 1024
    avatar_bytes: int = 5 * 1024 * 1024
    """A face picture: the client crops and scales it first, so this is generous."""
    sound_seconds_max: int = 600
    revoke_window_s: int = 120
    """How long after sending its sender may recall a message (M5)."""
    group_name_bytes: int = 30
    group_introduction_bytes: int = 240
    group_notification_bytes: int = 300
    group_face_url_bytes: int = 100
    group_custom_key_bytes: int = 16
    group_custom_value_bytes: int = 512
    group_custom_keys_max: int = 16
    name_card_bytes: int = 50
    group_apply_message_bytes: int = 120
    group_initial_members_max: int = 500
    group_invite_max: int = 300
    group_at_users_max: int = 30
    """Members one group message may mention (M11)."""
    group_members_page_max: int = 50
    group_members_info_max: int = 50
    group_members_default: int = 2000
    """A new group's member cap unless its creator asks for another (G8)."""
    group_members_max: int = 6000
    """The highest member cap a group may have; AVChatRooms have none."""
    groups_owned_max: int = 1000
    """Groups (not dismissed) one user may own."""
    group_send_rate: int = 40
    """Messages per group per ``group_send_window_ms`` (M14, §1.2: 40 msg/s); over it the lower
    priorities are refused first (``app.server.groups.send_rate``). 0 turns the limit off."""
    group_send_high_rate: int = 60
    """HIGH-priority messages keep going until the window holds this many messages in all."""
    group_send_window_ms: int = 1000
    group_attr_keys_max: int = 16
    """Group attributes (§1.8, G7): keys per group."""
    group_attr_key_bytes: int = 32
    """The seed gives no key limit for attributes; Tencent's REST ``modify_group_attr`` says
    32 bytes (16 B is the old custom fields' key limit, §1.6)."""
    group_attr_value_bytes: int = 4 * 1024
    group_attr_total_bytes: int = 16 * 1024
    """All keys and values of one group together."""
    group_attr_writes: int = 5
    """Attribute writes (init, set, delete together) per group per ``group_attr_window_ms``:
    the seed's server-side 5 per 1 s (10049). 0 turns the limit off."""
    group_attr_window_ms: int = 1000

    def media_bytes(self, kind: str) -> int:
        """Largest upload of a kind (M14); a video's snapshot and a bundle count as images."""
        return {"sound": self.sound_bytes, "video": self.video_bytes,
                "file": self.file_bytes, "avatar": self.avatar_bytes}.get(kind, self.image_bytes)


DEFAULT_LIMITS = Limits()
