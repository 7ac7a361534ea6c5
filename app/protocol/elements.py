"""Message elements. One element per new message (V2TIM), a list on the wire so legacy and REST
multi-element bodies round-trip. Each element is a tagged struct: ``{"type": "text", ...}``.

Media elements (image, sound, video, file), merger and group tips join this union with the media
and group slices of the protocol; their shapes are written down in PROTOCOL.md.
"""

from __future__ import annotations

from enum import IntEnum

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


Elem = TextElem | CustomElem | FaceElem | LocationElem
