"""Tencent's media ``MsgBody`` elements ⇄ protocol elements, for the admin API.

``TIMImageElem``, ``TIMSoundElem``, ``TIMVideoFileElem`` and ``TIMFileElem`` in the shapes of
Tencent's server API; every other element type is ``rest.msgbody``'s. A ``UUID`` (or one of
this service's own ``…/media/<sha256>`` URLs, as ``admin_getroammsg`` answers them) that names
content held here becomes the element's ``uuid``, so the message's participants may fetch it;
anything else is external content and keeps its URL with an empty ``uuid``. Answers name held
content by its absolute URL on this service (``urls.media_url``), which a client fetches with
its own UserSig.
"""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec

from app.protocol import (
    Elem,
    ErrorCode,
    FileElem,
    ImageElem,
    ImageInfo,
    ImageKind,
    IMError,
    MergerElem,
    Snapshot,
    SoundElem,
    VideoElem,
    media_uuids,
)
from app.server.rest import msgbody
from app.server.store import media as media_store
from app.server.store.db import Database

from .urls import media_url, uuid_in_url

BAD: Final = ErrorCode.INVALID_MSG_BODY
NUMBER_MAX: Final = 2**63 - 1
DOWNLOAD_BY_URL: Final = 2
"""Tencent's ``Download_Flag``: 2 is "download from the URL given"."""
IMAGE_FORMATS: Final = {1: "jpg", 2: "gif", 3: "png", 4: "bmp"}
IMAGE_FORMAT_OTHER: Final = 255
IMAGE_TYPES: Final = {1: ImageKind.ORIGINAL, 2: ImageKind.LARGE, 3: ImageKind.THUMB}
_FORMAT_NUMBERS: Final = {**{name: number for number, name in IMAGE_FORMATS.items()}, "jpeg": 1}
_TYPE_NUMBERS: Final = {kind: number for number, kind in IMAGE_TYPES.items()}
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def _text(content: dict[str, Any], key: str) -> str:
    value = content.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise IMError(BAD, f"MsgContent.{key} must be a string")
    return value


def _count(content: dict[str, Any], key: str) -> int:
    value = content.get(key, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= NUMBER_MAX:
        raise IMError(BAD, f"MsgContent.{key} must be an integer from 0 to {NUMBER_MAX}")
    return value


def _sent_uuid(content: dict[str, Any], key: str) -> str:
    """A UUID field that could be one of our digests; Tencent's own UUIDs are not."""
    sent = _text(content, key)
    return sent.lower() if _HEX64.fullmatch(sent) else ""


def _candidate(content: dict[str, Any], url_key: str, uuid_key: str) -> str:
    """The digest an element may refer to: one of our URLs, else a UUID that is a SHA-256."""
    return uuid_in_url(_text(content, url_key)) or _sent_uuid(content, uuid_key)


def _image(content: dict[str, Any]) -> ImageElem:
    number = content.get("ImageFormat", IMAGE_FORMAT_OTHER)
    if isinstance(number, bool) or not isinstance(number, int):
        raise IMError(BAD, "MsgContent.ImageFormat must be 1 (JPG), 2 (GIF), 3 (PNG), 4 (BMP) "
                      "or 255 (other)")
    levels = content.get("ImageInfoArray") or []
    if not isinstance(levels, list) or len(levels) > len(IMAGE_TYPES):
        raise IMError(BAD, "MsgContent.ImageInfoArray must be a list of up to 3 levels")
    images = []
    for level in levels:
        if not isinstance(level, dict) or level.get("Type") not in IMAGE_TYPES:
            raise IMError(BAD, "each ImageInfoArray item needs Type 1 (original), 2 (large) "
                          "or 3 (thumb)")
        kind = IMAGE_TYPES[level["Type"]]
        uuid = uuid_in_url(_text(level, "URL"))
        if not uuid and kind == ImageKind.ORIGINAL:
            uuid = _sent_uuid(content, "UUID")
        images.append(ImageInfo(kind, uuid, _text(level, "URL"), _count(level, "Size"),
                                _count(level, "Width"), _count(level, "Height")))
    if not images and (uuid := _sent_uuid(content, "UUID")):
        images.append(ImageInfo(ImageKind.ORIGINAL, uuid))
    return ImageElem(IMAGE_FORMATS.get(number, ""), images)


def _sound(content: dict[str, Any]) -> SoundElem:
    return SoundElem(_candidate(content, "Url", "UUID"), _text(content, "Url"),
                     _count(content, "Size"), _count(content, "Second"))


def _file(content: dict[str, Any]) -> FileElem:
    return FileElem(_candidate(content, "Url", "UUID"), _text(content, "Url"),
                    _count(content, "FileSize"), _text(content, "FileName"))


def _video(content: dict[str, Any]) -> VideoElem:
    snapshot = Snapshot(
        _candidate(content, "ThumbUrl", "ThumbUUID"), _text(content, "ThumbUrl"),
        _count(content, "ThumbSize"), _count(content, "ThumbWidth"),
        _count(content, "ThumbHeight"), _text(content, "ThumbFormat").lower() or "jpg")
    return VideoElem(_candidate(content, "VideoUrl", "VideoUUID"), _text(content, "VideoUrl"),
                     _count(content, "VideoSize"), _count(content, "VideoSecond"),
                     _text(content, "VideoFormat").lower() or "mp4", snapshot)


_READERS: Final = {"TIMImageElem": _image, "TIMSoundElem": _sound, "TIMFileElem": _file,
                   "TIMVideoFileElem": _video}


def _held_or_url(uuid: str, url: str, held: set[str]) -> tuple[str, str]:
    """Held content is referred to by its uuid alone; anything else by its URL alone."""
    return (uuid, "") if uuid in held else ("", url)


def _resolved(elem: Elem, held: set[str]) -> Elem:
    replace = msgspec.structs.replace
    match elem:
        case ImageElem():
            images = []
            for info in elem.images:
                uuid, url = _held_or_url(info.uuid, info.url, held)
                images.append(replace(info, uuid=uuid, url=url))
            return replace(elem, images=images)
        case VideoElem():
            uuid, url = _held_or_url(elem.uuid, elem.url, held)
            thumb_uuid, thumb_url = _held_or_url(elem.snapshot.uuid, elem.snapshot.url, held)
            return replace(elem, uuid=uuid, url=url,
                           snapshot=replace(elem.snapshot, uuid=thumb_uuid, url=thumb_url))
        case SoundElem() | FileElem():
            uuid, url = _held_or_url(elem.uuid, elem.url, held)
            return replace(elem, uuid=uuid, url=url)
    return elem


async def elems_from_tim(db: Database, body: Any) -> list[Elem]:
    """``MsgBody`` → elements, media referring to held content by uuid (90002 when malformed)."""
    if not isinstance(body, list) or not body:
        return msgbody.elems_from_tim(body)  # its refusal
    drafts: list[Elem] = []
    for item in body:
        kind = item.get("MsgType") if isinstance(item, dict) else None
        read = _READERS.get(kind) if isinstance(kind, str) else None
        if read is None:
            drafts.extend(msgbody.elems_from_tim([item]))
            continue
        content = item.get("MsgContent")
        if not isinstance(content, dict):
            raise IMError(BAD, "each MsgBody item needs a MsgType and a MsgContent object")
        drafts.append(read(content))
    candidates = {uuid for elem in drafts for uuid in media_uuids(elem)}
    held: set[str] = set()
    if candidates:
        async with db.read() as conn:
            held = await media_store.stored(conn, candidates)
    elems = [_resolved(elem, held) for elem in drafts]
    for elem in elems:
        if not _names_content(elem):
            raise IMError(BAD, f"a {type(elem).__name__} needs a URL or a UUID held here")
    return elems


def _names_content(elem: Elem) -> bool:
    """Whether a media element says where its bytes are (other elements always do)."""
    match elem:
        case ImageElem():
            return any(info.uuid or info.url for info in elem.images)
        case VideoElem() | SoundElem() | FileElem():
            return bool(elem.uuid or elem.url)
    return True


def _link(uuid: str, url: str) -> str:
    return media_url(uuid) if uuid else url


def _image_content(elem: ImageElem) -> dict[str, Any]:
    original = elem.level(ImageKind.ORIGINAL)
    uuid = (original.uuid if original is not None and original.uuid
            else next((info.uuid for info in elem.images if info.uuid), ""))
    return {"UUID": uuid,
            "ImageFormat": _FORMAT_NUMBERS.get(elem.format.lower(), IMAGE_FORMAT_OTHER),
            "ImageInfoArray": [{"Type": _TYPE_NUMBERS[info.kind], "Size": info.size,
                                "Width": info.width, "Height": info.height,
                                "URL": _link(info.uuid, info.url)} for info in elem.images]}


def tim_from_elems(elems: list[Elem]) -> list[dict[str, Any]]:
    """Elements → ``MsgBody``. A merger has no Tencent REST shape and is left out."""
    body: list[dict[str, Any]] = []
    for elem in elems:
        match elem:
            case ImageElem():
                body.append({"MsgType": "TIMImageElem", "MsgContent": _image_content(elem)})
            case SoundElem():
                body.append({"MsgType": "TIMSoundElem", "MsgContent": {
                    "Url": _link(elem.uuid, elem.url), "UUID": elem.uuid, "Size": elem.size,
                    "Second": elem.duration_s, "Download_Flag": DOWNLOAD_BY_URL}})
            case FileElem():
                body.append({"MsgType": "TIMFileElem", "MsgContent": {
                    "Url": _link(elem.uuid, elem.url), "UUID": elem.uuid,
                    "FileSize": elem.size, "FileName": elem.name,
                    "Download_Flag": DOWNLOAD_BY_URL}})
            case VideoElem():
                thumb = elem.snapshot
                body.append({"MsgType": "TIMVideoFileElem", "MsgContent": {
                    "VideoUrl": _link(elem.uuid, elem.url), "VideoUUID": elem.uuid,
                    "VideoSize": elem.size, "VideoSecond": elem.duration_s,
                    "VideoFormat": elem.format, "VideoDownloadFlag": DOWNLOAD_BY_URL,
                    "ThumbUrl": _link(thumb.uuid, thumb.url), "ThumbUUID": thumb.uuid,
                    "ThumbSize": thumb.size, "ThumbWidth": thumb.width,
                    "ThumbHeight": thumb.height, "ThumbFormat": thumb.format.upper(),
                    "ThumbDownloadFlag": DOWNLOAD_BY_URL}})
            case MergerElem():
                pass
            case _:
                body.extend(msgbody.tim_from_elems([elem]))
    return body
