"""Tencent ``MsgBody`` ⇄ protocol elements, for ``openim/sendmsg`` and ``admin_getroammsg``.

``[{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}]`` ⇄ ``[TextElem("hi")]``. Element
types the service cannot carry yet are refused with 90002 rather than silently dropped.
"""

from __future__ import annotations

from typing import Any

from app.protocol import CustomElem, Elem, ErrorCode, FaceElem, IMError, LocationElem, TextElem


def _content(item: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(item, dict) or not isinstance(item.get("MsgContent"), dict):
        raise IMError(ErrorCode.INVALID_MSG_BODY,
                      "each MsgBody item needs a MsgType and a MsgContent object")
    return str(item.get("MsgType")), item["MsgContent"]


def _str(content: dict[str, Any], key: str) -> str:
    value = content.get(key, "")
    if not isinstance(value, str):
        raise IMError(ErrorCode.INVALID_MSG_BODY, f"MsgContent.{key} must be a string")
    return value


def _number(content: dict[str, Any], key: str) -> float:
    value = content.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise IMError(ErrorCode.INVALID_MSG_BODY, f"MsgContent.{key} must be a number")
    return value


def elems_from_tim(body: Any) -> list[Elem]:
    if not isinstance(body, list) or not body:
        raise IMError(ErrorCode.INVALID_MSG_BODY, "MsgBody must be a non-empty list")
    elems: list[Elem] = []
    for item in body:
        kind, content = _content(item)
        if kind == "TIMTextElem":
            elems.append(TextElem(_str(content, "Text")))
        elif kind == "TIMCustomElem":
            elems.append(CustomElem(_str(content, "Data"), _str(content, "Desc"),
                                    _str(content, "Ext")))
        elif kind == "TIMFaceElem":
            elems.append(FaceElem(int(_number(content, "Index")), _str(content, "Data")))
        elif kind == "TIMLocationElem":
            elems.append(LocationElem(_str(content, "Desc"), _number(content, "Longitude"),
                                      _number(content, "Latitude")))
        else:
            raise IMError(ErrorCode.INVALID_MSG_BODY, f"unsupported MsgType {kind!r}")
    return elems


def tim_from_elems(elems: list[Elem]) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = []
    for elem in elems:
        match elem:
            case TextElem():
                body.append({"MsgType": "TIMTextElem", "MsgContent": {"Text": elem.text}})
            case CustomElem():
                body.append({"MsgType": "TIMCustomElem", "MsgContent": {
                    "Data": elem.data, "Desc": elem.description, "Ext": elem.extension}})
            case FaceElem():
                body.append({"MsgType": "TIMFaceElem",
                             "MsgContent": {"Index": elem.index, "Data": elem.data}})
            case LocationElem():
                body.append({"MsgType": "TIMLocationElem", "MsgContent": {
                    "Desc": elem.desc, "Latitude": elem.latitude,
                    "Longitude": elem.longitude}})
    return body
