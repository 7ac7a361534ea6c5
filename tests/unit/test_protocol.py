"""The wire contract on its own: frames, validation, IDs, UserSig interoperability."""

from __future__ import annotations

import time

import msgspec
import pytest
import TLSSigAPIv2
from hypothesis import given
from hypothesis import strategies as st

from app.protocol import ErrorCode, IMError, Message, TextElem, frames, usersig
from app.protocol.commands import LoginReq, SendReq
from app.protocol.ids import (
    ConvType,
    is_valid_user_id,
    new_message_id,
    parse_conversation_id,
)

APP, KEY = 1400000000, "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"


def test_request_round_trip_and_body_validation():
    msg = Message(msg_id="m1", conv_type=1, sender="a", receiver="b", elems=[TextElem("hi")])
    raw = frames.encode_request(7, "msg.send", SendReq(msg=msg))
    frame = frames.decode_request(raw)
    assert frame.id == 7 and frame.cmd == "msg.send"
    assert frames.decode_request_body(frame).msg == msg


@pytest.mark.parametrize(("data", "code"), [
    (b"not json", ErrorCode.MALFORMED_FRAME),
    (b"[1,2]", ErrorCode.MALFORMED_FRAME),
    (b'{"cmd":"login"}', ErrorCode.MALFORMED_FRAME),
])
def test_malformed_frames_are_refused_with_9001(data, code):
    with pytest.raises(IMError) as err:
        frames.decode_request(data)
    assert err.value.code == code


def test_unknown_command_and_bad_body_have_distinct_codes():
    with pytest.raises(IMError) as err:
        frames.decode_request_body(frames.decode_request(b'{"id":1,"cmd":"nope"}'))
    assert err.value.code == ErrorCode.UNKNOWN_COMMAND
    with pytest.raises(IMError) as err:
        frames.decode_request_body(frames.decode_request(
            b'{"id":1,"cmd":"login","body":{"sdk_app_id":"x"}}'))
    assert err.value.code == ErrorCode.INVALID_BODY
    assert "sdk_app_id" in err.value.detail


def test_unknown_element_type_is_a_body_error():
    raw = (b'{"id":1,"cmd":"msg.send","body":{"msg":{"msg_id":"m","conv_type":1,"sender":"a",'
           b'"elems":[{"type":"hologram"}]}}}')
    with pytest.raises(IMError) as err:
        frames.decode_request_body(frames.decode_request(raw))
    assert err.value.code == ErrorCode.INVALID_BODY


@pytest.mark.parametrize(("user_id", "ok"), [
    ("alice", True), ("A_b-9", True), ("x" * 32, True), ("x" * 33, False), ("", False),
    ("bad id", False), ("名字", False), ("a:b", False), (None, False),
])
def test_user_id_rules(user_id, ok):
    assert is_valid_user_id(user_id) is ok


def test_conversation_ids():
    assert parse_conversation_id("c2c_bob") == (ConvType.C2C, "bob")
    assert parse_conversation_id("group_@TGS#1") == (ConvType.GROUP, "@TGS#1")
    for bad in ("bob", "c2c_", "c2c_bad id", "group_", 5):
        with pytest.raises(IMError) as err:
            parse_conversation_id(bad)
        assert err.value.code == ErrorCode.INVALID_CONVERSATION_ID


def test_message_ids_are_unique_and_valid():
    ids = {new_message_id() for _ in range(10000)}
    assert len(ids) == 10000
    assert all(frames.decode_body(msgspec.json.encode({"msg_id": i, "conv_type": 1,
                                                       "sender": "a"}), Message) for i in ids)


def test_sig_from_tencents_generator_verifies_here():
    theirs = TLSSigAPIv2.TLSSigAPIv2(APP, KEY).gen_sig("xiaojun", 3600)
    ticket = usersig.verify(theirs, APP, KEY, "xiaojun")
    assert ticket.user_id == "xiaojun" and ticket.expire_s == 3600
    with_buf = TLSSigAPIv2.TLSSigAPIv2(APP, KEY).gen_sig_with_userbuf("xiaojun", 3600, b"abc")
    assert usersig.verify(with_buf, APP, KEY, "xiaojun").userbuf == b"abc"


def test_our_sig_is_byte_identical_to_tencents(monkeypatch):
    monkeypatch.setattr(TLSSigAPIv2.time, "time", lambda: 1700000000)
    theirs = TLSSigAPIv2.TLSSigAPIv2(APP, KEY).gen_sig("xiaojun", 86400)
    assert usersig.generate(APP, KEY, "xiaojun", 86400, now=1700000000) == theirs


@pytest.mark.parametrize(("make", "code"), [
    (lambda: usersig.generate(APP, KEY, "u", 10, now=int(time.time()) - 100),
     ErrorCode.SIG_EXPIRED),
    (lambda: usersig.generate(APP, "other-key", "u"), ErrorCode.SIG_INVALID),
    (lambda: usersig.generate(APP + 1, KEY, "u"), ErrorCode.SIG_APP_MISMATCH),
    (lambda: usersig.generate(APP, KEY, "someone-else"), ErrorCode.SIG_USER_MISMATCH),
    (lambda: "garbage***", ErrorCode.SIG_INVALID),
    (lambda: "", ErrorCode.SIG_INVALID),
    (lambda: "x" * 5000, ErrorCode.SIG_INVALID),
    (lambda: usersig.generate(APP, KEY, "u", 10**30), ErrorCode.SIG_INVALID),
    (lambda: usersig.generate(APP, KEY, "u", usersig.MAX_LIFETIME_S + 1), ErrorCode.SIG_INVALID),
    (lambda: usersig.generate(APP, KEY, "u", 60, now=int(time.time()) + 3600),
     ErrorCode.SIG_INVALID),
])
def test_bad_sigs_are_refused_with_their_codes(make, code):
    with pytest.raises(IMError) as err:
        usersig.verify(make(), APP, KEY, "u")
    assert err.value.code == code


def test_a_little_clock_skew_and_the_configured_lifetime_are_accepted():
    ahead = usersig.generate(APP, KEY, "u", 60, now=int(time.time()) + 60)
    assert usersig.verify(ahead, APP, KEY, "u").user_id == "u"
    year = usersig.generate(APP, KEY, "u", 365 * 86400)
    assert usersig.verify(year, APP, KEY, "u").expire_s == 365 * 86400
    with pytest.raises(IMError) as err:
        usersig.verify(year, APP, KEY, "u", max_lifetime_s=30 * 86400)
    assert err.value.code == ErrorCode.SIG_INVALID


@given(st.text(max_size=200))
def test_arbitrary_sig_text_never_crashes_the_verifier(text):
    with pytest.raises(IMError):
        usersig.verify(text, APP, KEY, "u")


@given(st.binary(max_size=300))
def test_arbitrary_frames_decode_or_refuse_cleanly(data):
    try:
        frame = frames.decode_request(data)
        frames.decode_request_body(frame)
    except IMError as exc:
        assert exc.code in (ErrorCode.MALFORMED_FRAME, ErrorCode.UNKNOWN_COMMAND,
                            ErrorCode.INVALID_BODY)


def test_login_request_defaults():
    req = frames.decode_body(b'{"sdk_app_id":1,"user_id":"a","user_sig":"s"}', LoginReq)
    assert req.platform == "desktop" and req.resume is False
