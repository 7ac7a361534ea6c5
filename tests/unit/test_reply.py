"""Quotes in ``cloud_custom_data`` as TUIKit writes them, message abstracts, and the forwarded
copy of a message."""

from __future__ import annotations

import json

import pytest

from app.protocol import (
    ConvType,
    CustomElem,
    ElemType,
    ErrorCode,
    FaceElem,
    FileElem,
    ImageElem,
    ImageInfo,
    ImageKind,
    IMError,
    LocationElem,
    MergerElem,
    Snapshot,
    SoundElem,
    TextElem,
    VideoElem,
)
from app.sdk import Message, MessageStatus
from app.sdk.forwarding import forward_copy
from app.sdk.reply import ReplyRef, message_abstract, parse_reply, reply_cloud_data

TUIKIT_KEYS = {"messageID", "messageAbstract", "messageSender", "messageType", "messageTime",
               "messageSequence", "version"}


def message(*elems: object, sender: str = "bob", nick: str = "",
            status: MessageStatus = MessageStatus.SEND_SUCC, **fields: object) -> Message:
    return Message(msg_id="m-1", conv_type=ConvType.C2C, sender=sender, receiver="alice",
                   seq=42, time_ms=1_700_000_123_456, elems=list(elems), status=status,
                   nick_name=nick, **fields)  # type: ignore[arg-type]


def test_a_quote_is_tuikits_message_reply_and_reads_back() -> None:
    original = message(TextElem("lunch at one?"), nick="Bob B.")
    data = reply_cloud_data(original, message_abstract(original))

    reply = json.loads(data)["messageReply"]
    assert set(reply) == TUIKIT_KEYS
    assert reply == {"messageID": "m-1", "messageAbstract": "lunch at one?",
                     "messageSender": "Bob B.", "messageType": 1, "messageTime": 1_700_000_123,
                     "messageSequence": 42, "version": 1}
    assert parse_reply(data) == ReplyRef(msg_id="m-1", abstract="lunch at one?", sender="Bob B.",
                                         elem_type=ElemType.TEXT, time_s=1_700_000_123, seq=42)


def test_the_sender_is_named_by_user_id_without_a_nickname_and_text_stays_readable() -> None:
    original = message(ImageElem("png"), sender="bob", nick="")
    data = reply_cloud_data(original, "[Image] 写真")
    assert "写真" in data  # not \\u-escaped: half the bytes of the payload limit
    ref = parse_reply(data)
    assert ref is not None
    assert (ref.sender, ref.elem_type, ref.abstract) == ("bob", ElemType.IMAGE, "[Image] 写真")


def test_a_tuikit_ios_reply_with_other_keys_is_understood() -> None:
    # As TUIKit iOS writes a threaded reply: time as a double, a root ID, typing feature beside.
    sample = ('{"messageFeature":{"needTyping":1,"version":1},"messageReply":{"messageID":'
              '"144115233890405823-1700000000-3208742","messageAbstract":"see you there",'
              '"messageSender":"Alice","messageType":1,"messageTime":1700000000.734,'
              '"messageSequence":7,"version":1,"messageRootID":"144115233890405823-1699999000-1"}}')
    assert parse_reply(sample) == ReplyRef(
        msg_id="144115233890405823-1700000000-3208742", abstract="see you there",
        sender="Alice", elem_type=1, time_s=1_700_000_000, seq=7, version=1,
        root_id="144115233890405823-1699999000-1")


def test_a_tuikit_web_quote_of_an_image_is_understood() -> None:
    sample = json.dumps({"messageReply": {
        "messageAbstract": "[图片]", "messageSender": "alice", "messageID": "144115-1-2",
        "messageType": 3, "messageTime": 1700000000, "messageSequence": 12, "version": 1}})
    ref = parse_reply(sample)
    assert ref is not None
    assert (ref.msg_id, ref.abstract, ref.elem_type, ref.seq, ref.root_id) == (
        "144115-1-2", "[图片]", ElemType.IMAGE, 12, "")


@pytest.mark.parametrize("data", [
    "", "not json", "[]", "null", '"messageReply"', "{}", '{"messageReply": "m-1"}',
    '{"messageReply": []}', '{"messageReply": {}}',
    '{"messageReply": {"messageID": "m-1"}}',  # TUIKit requires the version
    '{"messageReply": {"messageID": "m-1", "version": 2}}',  # a later version: not understood
    '{"messageReply": {"messageID": "m-1", "version": 0}}',
    '{"messageReply": {"messageID": "m-1", "version": "1"}}',
    '{"messageReply": {"messageID": "m-1", "version": true}}',
    '{"messageReply": {"messageID": "", "version": 1}}',
    '{"messageReply": {"messageID": 17, "version": 1}}',
    '{"messageReply": {"messageID": "m-1", "version": 1}',  # cut short
    "[" * 100_000,  # nested deeper than the decoder recurses
])
def test_anything_but_a_quote_is_none(data: str) -> None:
    assert parse_reply(data) is None


def test_fields_of_the_wrong_kind_read_as_empty() -> None:
    data = ('{"messageReply": {"messageID": "m-1", "version": 1, "messageAbstract": ["x"], '
            '"messageSender": 5, "messageType": true, "messageTime": NaN, '
            '"messageSequence": "7", "messageRootID": null}}')
    assert parse_reply(data) == ReplyRef(msg_id="m-1")


@pytest.mark.parametrize(("elem", "abstract"), [
    (ImageElem("jpg", [ImageInfo(ImageKind.THUMB, uuid="u1")]), "[Image]"),
    (SoundElem(uuid="u2", duration_s=3), "[Voice]"),
    (VideoElem(uuid="u3", snapshot=Snapshot(uuid="u4")), "[Video]"),
    (FileElem(uuid="u5", name="report.pdf"), "[File] report.pdf"),
    (FileElem(uuid="u5"), "[File]"),
    (LocationElem("Tower", 1.0, 2.0), "[Location]"),
    (FaceElem(3), "[Sticker]"),
    (MergerElem(title="Chat history of Alice and Bob"), "[Chat history]"),
    (CustomElem("{}", "Order #17"), "Order #17"),
    (CustomElem("{}"), "[Custom message]"),
    (TextElem("  two\nlines\t here "), "two lines here"),
])
def test_every_element_has_an_abstract(elem: object, abstract: str) -> None:
    assert message_abstract(message(elem)) == abstract


def test_long_text_is_cut_to_fifty_characters() -> None:
    text = "".join(f"{i % 10}" for i in range(80))
    cut = message_abstract(message(TextElem(text)))
    assert len(cut) == 50 and cut == text[:49] + "…"
    exactly = "x" * 50
    assert message_abstract(message(TextElem(exactly))) == exactly
    assert len(message_abstract(message(FileElem(name="n" * 200)))) == 50


def test_a_message_without_content_has_no_abstract() -> None:
    assert message_abstract(message(status=MessageStatus.LOCAL_REVOKED)) == ""


def test_a_forwarded_copy_is_a_new_message_of_mine_with_the_same_media() -> None:
    image = ImageElem("png", [ImageInfo(ImageKind.ORIGINAL, uuid="sha-orig", size=10),
                              ImageInfo(ImageKind.THUMB, uuid="sha-thumb", size=2)])
    original = message(image, cloud_custom_data=reply_cloud_data(message(TextElem("q")), "q"),
                       is_peer_read=True)
    copy = forward_copy(original, "alice", 1_800_000_000_000)

    assert copy.msg_id and copy.msg_id != original.msg_id
    assert copy.elems == [image] and copy.elems is not original.elems
    assert copy.image_elem is not None
    assert [i.uuid for i in copy.image_elem.images] == ["sha-orig", "sha-thumb"]
    assert (copy.sender, copy.is_self, copy.time_ms) == ("alice", True, 1_800_000_000_000)
    assert (copy.seq, copy.status, copy.receiver) == (0, MessageStatus.SENDING, "")
    assert copy.cloud_custom_data == "" and not copy.is_peer_read
    assert forward_copy(original, "alice", 1).msg_id != copy.msg_id


@pytest.mark.parametrize("status", [MessageStatus.SENDING, MessageStatus.SEND_FAIL,
                                    MessageStatus.LOCAL_REVOKED, MessageStatus.HAS_DELETED])
def test_only_a_sent_message_with_content_is_forwarded(status: MessageStatus) -> None:
    with pytest.raises(IMError) as err:
        forward_copy(message(TextElem("x"), status=status), "alice", 1)
    assert err.value.code == ErrorCode.SDK_INVALID_PARAMETERS
