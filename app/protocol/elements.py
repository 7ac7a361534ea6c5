"""Message elements. One element per new message (V2TIM), a list on the wire so legacy and REST
multi-element bodies round-trip. Each element is a tagged struct: ``{"type": "text", ...}``.

Media elements carry references, never bytes: ``uuid`` names content in the service's media store
(the SHA-256 of the bytes, so the same file is stored once), ``url`` a location outside it (as
Tencent's REST API sends). The bytes travel over HTTP (PROTOCOL.md §8).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

import msgspec


class ElemType(IntEnum):
    """Numbers follow V2TIM_ELEM_TYPE_*."""

    NONE = 0
    TEXT = 1
    CUSTOM = 2
    IMAGE = 3
    SOUND = 4
    VIDEO = 5
    FILE = 6
    LOCATION = 7
    FACE = 8
    GROUP_TIPS = 9
    MERGER = 10
    GROUP_SYSTEM = 11
    """Tidings' own: the old SDK's TIMGroupSystemElem, which V2TIM left out."""


class TextElem(msgspec.Struct, tag="text", tag_field="type", frozen=True):
    text: str

    elem_type = ElemType.TEXT


class CustomElem(msgspec.Struct, tag="custom", tag_field="type", frozen=True, omit_defaults=True):
    data: str = ""
    description: str = ""
    extension: str = ""

    elem_type = ElemType.CUSTOM


class FaceElem(msgspec.Struct, tag="face", tag_field="type", frozen=True, omit_defaults=True):
    index: int = 0
    data: str = ""

    elem_type = ElemType.FACE


class LocationElem(msgspec.Struct, tag="location", tag_field="type", frozen=True,
                   omit_defaults=True):
    desc: str = ""
    longitude: float = 0.0
    latitude: float = 0.0

    elem_type = ElemType.LOCATION


class ImageKind(StrEnum):
    """The three levels of an image (MD1): as sent, shorter side 720 px, shorter side 198 px."""

    ORIGINAL = "original"
    LARGE = "large"
    THUMB = "thumb"


class MediaKind(StrEnum):
    """What an upload is for; it decides the size limit (M14)."""

    IMAGE = "image"
    SOUND = "sound"
    VIDEO = "video"
    FILE = "file"
    SNAPSHOT = "snapshot"
    MERGER = "merger"
    AVATAR = "avatar"
    """A profile's or a group's picture: readable by every signed-in user, as a face is."""


class ImageInfo(msgspec.Struct, frozen=True, omit_defaults=True):
    kind: ImageKind
    uuid: str = ""
    url: str = ""
    size: int = 0
    width: int = 0
    height: int = 0


class ImageElem(msgspec.Struct, tag="image", tag_field="type", frozen=True, omit_defaults=True):
    """``format`` is the original's: ``jpg``, ``png``, ``gif``, ``webp``."""

    format: str = ""
    images: list[ImageInfo] = []

    elem_type = ElemType.IMAGE

    def level(self, kind: ImageKind) -> ImageInfo | None:
        return next((info for info in self.images if info.kind == kind), None)


class SoundElem(msgspec.Struct, tag="sound", tag_field="type", frozen=True, omit_defaults=True):
    uuid: str = ""
    url: str = ""
    size: int = 0
    duration_s: int = 0
    format: str = "m4a"

    elem_type = ElemType.SOUND


class Snapshot(msgspec.Struct, frozen=True, omit_defaults=True):
    uuid: str = ""
    url: str = ""
    size: int = 0
    width: int = 0
    height: int = 0
    format: str = "jpg"


class VideoElem(msgspec.Struct, tag="video", tag_field="type", frozen=True, omit_defaults=True):
    uuid: str = ""
    url: str = ""
    size: int = 0
    duration_s: int = 0
    format: str = "mp4"
    snapshot: Snapshot = Snapshot()

    elem_type = ElemType.VIDEO


class FileElem(msgspec.Struct, tag="file", tag_field="type", frozen=True, omit_defaults=True):
    uuid: str = ""
    url: str = ""
    size: int = 0
    name: str = ""

    elem_type = ElemType.FILE


class MergerElem(msgspec.Struct, tag="merger", tag_field="type", frozen=True,
                 omit_defaults=True):
    """Forwarded messages as one. The messages themselves are a JSON list stored as media
    (``uuid``, kind ``merger``), so a bundle of any length fits the 12 KB payload and a bundle
    can hold bundles; the title and abstract lines show without downloading it."""

    title: str = ""
    abstracts: list[str] = []
    compatible_text: str = ""
    uuid: str = ""
    size: int = 0

    elem_type = ElemType.MERGER


class GroupTipsType(IntEnum):
    """Numbers follow V2TIM_GROUP_TIPS_TYPE_*."""

    JOIN = 1
    INVITE = 2
    QUIT = 3
    KICKED = 4
    SET_ADMIN = 5
    CANCEL_ADMIN = 6
    GROUP_INFO_CHANGE = 7
    MEMBER_INFO_CHANGE = 8


class GroupTipsElem(msgspec.Struct, tag="group_tips", tag_field="type", frozen=True,
                    omit_defaults=True):
    """A change to a group, in the group's stream for every member to show (G6). Written by the
    service only; a client cannot send one. ``changes`` names profile fields changed
    (``name``, ``introduction``, ``notification``, ``face_url``, ``owner``, ``all_muted``,
    ``join_option``, ``custom:<key>``) with their new values; ``mute`` the members muted until
    when (unix seconds, 0: unmuted)."""

    tips_type: int = GroupTipsType.JOIN
    op_user: str = ""
    user_ids: list[str] = []
    changes: dict[str, str] = {}
    mute: dict[str, int] = {}

    elem_type = ElemType.GROUP_TIPS


class GroupSystemType(IntEnum):
    """The §1.12 operation types (the old SDK's TIM_GROUP_SYSTEM_*)."""

    JOIN_APPLICATION = 1
    APPLICATION_ACCEPTED = 2
    APPLICATION_REFUSED = 3
    KICKED = 4
    DISMISSED = 5
    CREATED = 6
    INVITED = 7
    QUIT = 8
    GRANT_ADMIN = 9
    REVOKE_ADMIN = 10
    CUSTOM = 255


class GroupSystemElem(msgspec.Struct, tag="group_system", tag_field="type", frozen=True,
                      omit_defaults=True):
    """A notice about a group addressed to one user (§1.12): kept in their system conversation
    (``SYSTEM_CONVERSATION_ID``), not in the group's stream, so someone removed from a group,
    or away when it was dismissed, still reads what happened. Written by the service only.
    ``group_name`` is the name when it happened; ``handle_message`` the decider's note on an
    application; ``data`` a custom notice's content (type 255)."""

    notice_type: int
    group_id: str
    group_name: str = ""
    op_user: str = ""
    handle_message: str = ""
    data: str = ""

    elem_type = ElemType.GROUP_SYSTEM


SERVICE_ELEMS = (GroupTipsElem, GroupSystemElem)
"""Elements only the service writes: a client's message carrying one is refused."""

MEDIA_ELEMS = (ImageElem, SoundElem, VideoElem, FileElem, MergerElem)

Elem = (TextElem | CustomElem | FaceElem | LocationElem | ImageElem | SoundElem | VideoElem
        | FileElem | MergerElem | GroupTipsElem | GroupSystemElem)
ELEM_TYPES = (TextElem, CustomElem, FaceElem, LocationElem, ImageElem, SoundElem, VideoElem,
              FileElem, MergerElem, GroupTipsElem, GroupSystemElem)
"""The element structs, one per ``ElemType``."""


MEDIA_REF_PREFIX = "tidings-media:"
"""A face URL naming content the service holds (an ``avatar`` upload) rather than a web URL."""


def media_ref(uuid: str) -> str:
    return MEDIA_REF_PREFIX + uuid


def media_ref_uuid(url: str) -> str | None:
    """The uuid a ``tidings-media:`` URL names; None for any other URL."""
    return url[len(MEDIA_REF_PREFIX):] if url.startswith(MEDIA_REF_PREFIX) else None


def media_uuids(elem: Elem) -> list[str]:
    """Every stored media item an element refers to: what a reader of the message may fetch."""
    if isinstance(elem, ImageElem):
        return [info.uuid for info in elem.images if info.uuid]
    if isinstance(elem, VideoElem):
        return [u for u in (elem.uuid, elem.snapshot.uuid) if u]
    if isinstance(elem, SoundElem | FileElem | MergerElem):
        return [elem.uuid] if elem.uuid else []
    return []
