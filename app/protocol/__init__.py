"""The wire contract between the SDK and the service: frames, commands, schemas, errors, limits.

Pure data and validation, no I/O; the only package both sides import. See PROTOCOL.md.
"""

from .commands import COMMANDS, PUSHES, Cmd, KickReason, Platform, Profile, PushName
from .conversations import ConversationState, RecvOpt
from .elements import (
    MEDIA_ELEMS,
    CustomElem,
    Elem,
    ElemType,
    FaceElem,
    FileElem,
    GroupTipsElem,
    ImageElem,
    ImageInfo,
    ImageKind,
    LocationElem,
    MediaKind,
    MergerElem,
    Snapshot,
    SoundElem,
    TextElem,
    VideoElem,
    media_uuids,
)
from .errors import ErrorCode, IMError
from .ids import ConvType
from .limits import DEFAULT_LIMITS, Limits
from .messages import AT_ALL, Message, MessageAck, OfflinePushInfo, Priority

PROTOCOL_VERSION = 1

__all__ = [
    "AT_ALL",
    "COMMANDS",
    "DEFAULT_LIMITS",
    "MEDIA_ELEMS",
    "PROTOCOL_VERSION",
    "PUSHES",
    "Cmd",
    "ConvType",
    "ConversationState",
    "CustomElem",
    "Elem",
    "ElemType",
    "ErrorCode",
    "FaceElem",
    "FileElem",
    "GroupTipsElem",
    "IMError",
    "ImageElem",
    "ImageInfo",
    "ImageKind",
    "KickReason",
    "Limits",
    "LocationElem",
    "MediaKind",
    "MergerElem",
    "Message",
    "MessageAck",
    "OfflinePushInfo",
    "Platform",
    "Priority",
    "Profile",
    "PushName",
    "RecvOpt",
    "Snapshot",
    "SoundElem",
    "TextElem",
    "VideoElem",
    "media_uuids",
]
