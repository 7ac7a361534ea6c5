"""UserSig: the login ticket, in the format of Tencent's TLSSigAPIv2.

A sig is ``base64url(zlib(json))`` with ``+/=`` mapped to ``*-_``; the JSON carries the UserID,
SDKAppID, issue time, lifetime and an HMAC-SHA256 over those lines keyed by the app's secret key.
Sigs made by Tencent's published generators (any language) verify here, and sigs made here verify
with them, because the signed text and the encoding are byte-for-byte the same.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import zlib
from dataclasses import dataclass

from .errors import ErrorCode, IMError

MAX_SIG_LENGTH = 4096
DEFAULT_EXPIRE_S = 180 * 86400
_TO_URL = str.maketrans("+/=", "*-_")
_FROM_URL = str.maketrans("*-_", "+/=")


@dataclass(frozen=True, slots=True)
class Ticket:
    user_id: str
    sdk_app_id: int
    issued_at: int
    expire_s: int
    userbuf: bytes | None

    @property
    def expires_at(self) -> int:
        return self.issued_at + self.expire_s


def _signed_text(user_id: str, sdk_app_id: object, issued: object, expire: object,
                 userbuf_b64: str | None) -> bytes:
    text = (f"TLS.identifier:{user_id}\nTLS.sdkappid:{sdk_app_id}\n"
            f"TLS.time:{issued}\nTLS.expire:{expire}\n")
    if userbuf_b64 is not None:
        text += f"TLS.userbuf:{userbuf_b64}\n"
    return text.encode()


def _hmac(key: str, text: bytes) -> str:
    return base64.b64encode(hmac.new(key.encode(), text, hashlib.sha256).digest()).decode()


def generate(sdk_app_id: int, key: str, user_id: str, expire_s: int = DEFAULT_EXPIRE_S,
             userbuf: bytes | None = None, now: int | None = None) -> str:
    issued = int(time.time()) if now is None else now
    doc: dict[str, object] = {
        "TLS.ver": "2.0",
        "TLS.identifier": user_id,
        "TLS.sdkappid": int(sdk_app_id),
        "TLS.expire": int(expire_s),
        "TLS.time": issued,
    }
    userbuf_b64 = base64.b64encode(userbuf).decode() if userbuf is not None else None
    if userbuf_b64 is not None:
        doc["TLS.userbuf"] = userbuf_b64
    doc["TLS.sig"] = _hmac(key, _signed_text(user_id, sdk_app_id, issued, expire_s, userbuf_b64))
    packed = zlib.compress(json.dumps(doc).encode())
    return base64.b64encode(packed).decode().translate(_TO_URL)


def decode_unverified(sig: str) -> dict[str, object]:
    """Read a sig's fields without checking the signature (clients use it to see the expiry)."""
    if not isinstance(sig, str) or not sig or len(sig) > MAX_SIG_LENGTH:
        raise IMError(ErrorCode.SIG_INVALID, "the UserSig is empty or too long")
    try:
        packed = base64.b64decode(sig.translate(_FROM_URL), validate=True)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_SIG_LENGTH * 4)
        if inflater.unconsumed_tail:
            raise ValueError("inflated sig too large")
        doc = json.loads(raw)
    except (ValueError, zlib.error, UnicodeDecodeError):
        raise IMError(ErrorCode.SIG_INVALID, "the UserSig cannot be decoded") from None
    if not isinstance(doc, dict):
        raise IMError(ErrorCode.SIG_INVALID, "the UserSig cannot be decoded")
    return doc


CLOCK_SKEW_S = 300
"""How far in the future a sig may say it was issued: the issuing backend's clock may be ahead."""
MAX_LIFETIME_S = 10 * 365 * 86400
"""The longest validity accepted by default (ten years: backends issue long-lived admin sigs);
a sig asking more is refused rather than trusted for ever."""


def verify(sig: str, sdk_app_id: int, key: str, user_id: str,
           now: int | None = None, max_lifetime_s: int = MAX_LIFETIME_S) -> Ticket:
    """Check a sig for ``user_id`` of app ``sdk_app_id``; raise IMError with a 700xx code if not.

    The HMAC comparison is constant time; the app check comes first because a sig of another app
    cannot be verified with this app's key at all. A sig issued more than ``CLOCK_SKEW_S`` in the
    future, or valid for longer than ``max_lifetime_s``, is invalid: its times are not ones a
    backend meant.
    """
    doc = decode_unverified(sig)
    try:
        ident = doc["TLS.identifier"]
        app = doc["TLS.sdkappid"]
        issued = doc["TLS.time"]
        expire = doc["TLS.expire"]
        mac = doc["TLS.sig"]
        userbuf_b64 = doc.get("TLS.userbuf")
        issued_i, expire_i, app_i = int(issued), int(expire), int(app)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        raise IMError(ErrorCode.SIG_INVALID, "the UserSig lacks required fields") from None
    if not isinstance(ident, str) or not isinstance(mac, str) or not (
            userbuf_b64 is None or isinstance(userbuf_b64, str)):
        raise IMError(ErrorCode.SIG_INVALID, "the UserSig lacks required fields")
    if app_i != int(sdk_app_id):
        raise IMError(ErrorCode.SIG_APP_MISMATCH,
                      f"the UserSig was issued for SDKAppID {app_i}, not {sdk_app_id}")
    expected = _hmac(key, _signed_text(ident, app, issued, expire, userbuf_b64))
    if not hmac.compare_digest(expected.encode(), mac.encode()):
        raise IMError(ErrorCode.SIG_INVALID, "the UserSig signature does not verify")
    if ident != user_id:
        raise IMError(ErrorCode.SIG_USER_MISMATCH,
                      f"the UserSig was issued for {ident!r}, not {user_id!r}")
    current = int(time.time()) if now is None else now
    if issued_i > current + CLOCK_SKEW_S:
        raise IMError(ErrorCode.SIG_INVALID, "the UserSig was issued in the future")
    if expire_i > max_lifetime_s:
        raise IMError(ErrorCode.SIG_INVALID,
                      f"the UserSig is valid for longer than {max_lifetime_s} seconds")
    if issued_i + expire_i < current:
        raise IMError(ErrorCode.SIG_EXPIRED, "the UserSig has expired")
    userbuf = base64.b64decode(userbuf_b64) if userbuf_b64 is not None else None
    return Ticket(ident, app_i, issued_i, expire_i, userbuf)


def expires_at(sig: str) -> int | None:
    """When an (unverified) sig expires, or None when it cannot be read."""
    try:
        doc = decode_unverified(sig)
        return int(doc["TLS.time"]) + int(doc["TLS.expire"])  # type: ignore[arg-type]
    except (IMError, KeyError, TypeError, ValueError):
        return None
