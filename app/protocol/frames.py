"""The frame envelope: one JSON object per WebSocket text message.

    client → service   {"id": 7, "cmd": "msg.send", "body": {...}}
    service → client   {"re": 7, "code": 0, "body": {...}}              response to request 7
                       {"re": 7, "code": 20003, "msg": "..."}           refusal of request 7
                       {"push": "msg.new", "body": {...}}               server push
"""

from __future__ import annotations

from typing import Any

import msgspec

from .commands import COMMANDS, PUSHES
from .errors import ErrorCode, IMError

_EMPTY = msgspec.Raw(b"{}")

UNREADABLE = (msgspec.DecodeError, RecursionError)
"""What decoding untrusted JSON raises: a schema or syntax error, or nesting deeper than the
decoder recurses (a 2 KB frame of brackets is enough)."""


def _reason(exc: Exception) -> str:
    return "JSON nested too deeply" if isinstance(exc, RecursionError) else str(exc)


class Request(msgspec.Struct, omit_defaults=True):
    id: int = 0
    cmd: str = ""
    body: msgspec.Raw = _EMPTY


class Incoming(msgspec.Struct, omit_defaults=True):
    """A service frame as the client first decodes it; ``body`` is decoded once its type is
    known."""

    re: int = 0
    push: str = ""
    code: int = 0
    msg: str = ""
    body: msgspec.Raw = _EMPTY


class Outgoing(msgspec.Struct, omit_defaults=True):
    """A service frame as the service encodes it."""

    re: int = 0
    push: str = ""
    code: int = 0
    msg: str = ""
    body: Any = None


_encoder = msgspec.json.Encoder()
_request_decoder = msgspec.json.Decoder(Request)
_incoming_decoder = msgspec.json.Decoder(Incoming)
_body_decoders: dict[type, msgspec.json.Decoder] = {}


def encode(obj: Any) -> bytes:
    return _encoder.encode(obj)


def _decoder_for(body_type: type) -> msgspec.json.Decoder:
    decoder = _body_decoders.get(body_type)
    if decoder is None:
        decoder = _body_decoders[body_type] = msgspec.json.Decoder(body_type)
    return decoder


def decode_body(raw: bytes | msgspec.Raw, body_type: type) -> Any:
    """Decode and validate a body; schema violations become INVALID_BODY with the exact reason."""
    try:
        return _decoder_for(body_type).decode(raw)
    except UNREADABLE as exc:
        raise IMError(ErrorCode.INVALID_BODY, _reason(exc)) from None


def decode_request(data: bytes | str) -> Request:
    try:
        frame = _request_decoder.decode(data)
    except UNREADABLE as exc:
        raise IMError(ErrorCode.MALFORMED_FRAME, _reason(exc)) from None
    if frame.id <= 0:
        raise IMError(ErrorCode.MALFORMED_FRAME, "a request needs a positive integer 'id'")
    return frame


def decode_request_body(frame: Request) -> Any:
    spec = COMMANDS.get(frame.cmd)
    if spec is None:
        raise IMError(ErrorCode.UNKNOWN_COMMAND, f"unknown command {frame.cmd!r}")
    return decode_body(frame.body, spec[0])


def encode_request(req_id: int, cmd: str, body: Any) -> bytes:
    return _encoder.encode({"id": req_id, "cmd": cmd, "body": body})


def encode_response(req_id: int, body: Any) -> bytes:
    return _encoder.encode(Outgoing(re=req_id, body=body))


def encode_error(req_id: int, error: IMError) -> bytes:
    return _encoder.encode(Outgoing(re=req_id, code=int(error.code), msg=error.detail))


def encode_push(name: str, body: Any) -> bytes:
    return _encoder.encode(Outgoing(push=name, body=body))


def decode_incoming(data: bytes | str) -> Incoming:
    try:
        return _incoming_decoder.decode(data)
    except UNREADABLE as exc:
        raise IMError(ErrorCode.MALFORMED_FRAME, _reason(exc)) from None


def decode_push_body(frame: Incoming) -> Any:
    return decode_body(frame.body, PUSHES[frame.push])


def decode_response_body(cmd: str, frame: Incoming) -> Any:
    return decode_body(frame.body, COMMANDS[cmd][1])
