"""Media through the admin API in Tencent's shapes: ``sendmsg`` / ``importmsg`` with
``TIMImageElem``, ``TIMFileElem``, ``TIMSoundElem`` and ``TIMVideoFileElem``, answered back by
``admin_getroammsg`` with this service's own URLs, which the participants can fetch."""

from __future__ import annotations

import os
import time
from typing import Any

import httpx
import pytest

from app.protocol import ErrorCode

from .conftest import Service
from .test_media_upload import MediaClient, account

ROAM = "openim/admin_getroammsg"


async def roam(service: Service, operator: str, peer: str) -> list[dict[str, Any]]:
    reply = await service.admin(ROAM, {"Operator_Account": operator, "Peer_Account": peer,
                                       "MaxCnt": 100, "MinTime": 0, "MaxTime": 2**32 - 1})
    assert reply["ErrorCode"] == 0, reply
    return reply["MsgList"]


@pytest.fixture
async def uploaded(service: Service) -> Any:
    """Four items the admin's sender uploaded: original, thumb, video, snapshot…"""
    await account(service, "alice", "bob")
    client = MediaClient(service, "alice")
    items = {}
    for name, size in (("original", 40_000), ("thumb", 3_000), ("video", 90_000),
                       ("snapshot", 2_000), ("sound", 7_000), ("file", 11_000)):
        data = os.urandom(size)
        items[name] = (await client.upload(data), data)
    yield items
    await client.aclose()


def media_body(items: dict[str, tuple[str, bytes]]) -> list[dict[str, Any]]:
    def uuid(name: str) -> str:
        return items[name][0]

    def size(name: str) -> int:
        return len(items[name][1])

    return [
        {"MsgType": "TIMImageElem", "MsgContent": {
            "UUID": uuid("original"), "ImageFormat": 3, "ImageInfoArray": [
                {"Type": 1, "Size": size("original"), "Width": 1024, "Height": 768, "URL": ""},
                {"Type": 3, "Size": size("thumb"), "Width": 198, "Height": 148,
                 "URL": f"https://elsewhere.example/media/{uuid('thumb')}"}]}},
        {"MsgType": "TIMFileElem", "MsgContent": {
            "Url": "", "UUID": uuid("file"), "FileSize": size("file"), "FileName": "a.pdf",
            "Download_Flag": 2}},
        {"MsgType": "TIMSoundElem", "MsgContent": {
            "Url": "", "UUID": uuid("sound"), "Size": size("sound"), "Second": 4,
            "Download_Flag": 2}},
        {"MsgType": "TIMVideoFileElem", "MsgContent": {
            "VideoUrl": "", "VideoUUID": uuid("video"), "VideoSize": size("video"),
            "VideoSecond": 9, "VideoFormat": "mp4", "VideoDownloadFlag": 2,
            "ThumbUrl": "", "ThumbUUID": uuid("snapshot"), "ThumbSize": size("snapshot"),
            "ThumbWidth": 320, "ThumbHeight": 180, "ThumbFormat": "JPG",
            "ThumbDownloadFlag": 2}},
        {"MsgType": "TIMTextElem", "MsgContent": {"Text": "and some text"}},
    ]


async def test_sendmsg_media_round_trips_through_getroammsg(service: Service,
                                                            uploaded: Any) -> None:
    bob_ws = await service.login("bob")
    sent = await service.admin("openim/sendmsg", {
        "SyncOtherMachine": 2, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 5,
        "MsgBody": media_body(uploaded)})
    assert sent["ErrorCode"] == 0, sent
    pushed = await bob_ws.push("msg.new")
    assert [e["type"] for e in pushed["elems"]] == ["image", "file", "sound", "video", "text"]
    image, file, sound, video, _ = pushed["elems"]
    assert image == {"type": "image", "format": "png", "images": [
        {"kind": "original", "uuid": uploaded["original"][0], "size": 40_000, "width": 1024,
         "height": 768},
        {"kind": "thumb", "uuid": uploaded["thumb"][0], "size": 3_000, "width": 198,
         "height": 148}]}
    assert file == {"type": "file", "uuid": uploaded["file"][0], "size": 11_000,
                    "name": "a.pdf"}
    assert sound == {"type": "sound", "uuid": uploaded["sound"][0], "size": 7_000,
                     "duration_s": 4}
    assert video["uuid"] == uploaded["video"][0]
    assert video["snapshot"]["uuid"] == uploaded["snapshot"][0]

    (item,) = await roam(service, "bob", "alice")
    base = service.endpoint.url
    body = item["MsgBody"]
    expected = media_body(uploaded)
    for sent_elem in expected:  # answered in Tencent's shapes with our own URLs
        content = sent_elem["MsgContent"]
        for url_key, uuid_key in (("Url", "UUID"), ("VideoUrl", "VideoUUID"),
                                  ("ThumbUrl", "ThumbUUID")):
            if url_key in content:
                content[url_key] = f"{base}/media/{content[uuid_key]}"
        for level, name in zip(content.get("ImageInfoArray", []), ("original", "thumb"),
                               strict=False):
            level["URL"] = f"{base}/media/{uploaded[name][0]}"
    assert body == expected

    # Bob fetches every URL he was given with his own sig.
    async with httpx.AsyncClient(headers={"authorization": MediaClient(
            service, "bob").http.headers["authorization"]}) as bob_http:
        urls = [level["URL"] for level in body[0]["MsgContent"]["ImageInfoArray"]]
        urls += [body[1]["MsgContent"]["Url"], body[2]["MsgContent"]["Url"],
                 body[3]["MsgContent"]["VideoUrl"], body[3]["MsgContent"]["ThumbUrl"]]
        fetched = [(await bob_http.get(url)).content for url in urls]
    assert fetched == [uploaded[name][1] for name in
                       ("original", "thumb", "file", "sound", "video", "snapshot")]

    # What getroammsg answered can be sent again as it is: the references survive.
    again = await service.admin("openim/sendmsg", {
        "SyncOtherMachine": 2, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 6,
        "MsgBody": body})
    assert again["ErrorCode"] == 0, again
    newest = (await roam(service, "bob", "alice"))[0]
    assert newest["MsgRandom"] == 6 and newest["MsgBody"] == body


async def test_uuids_that_are_not_ours_keep_their_urls(service: Service) -> None:
    await account(service, "alice", "bob")
    tencent_uuid = "1400000000_alice_5b2f8e9a8b7c0d1e2f3a4b5c6d7e8f90"
    unknown_sha = "ab" * 32
    body = [
        {"MsgType": "TIMFileElem", "MsgContent": {
            "Url": "https://cos.example/f.pdf", "UUID": tencent_uuid, "FileSize": 10,
            "FileName": "f.pdf", "Download_Flag": 2}},
        {"MsgType": "TIMSoundElem", "MsgContent": {
            "Url": "https://cos.example/s.m4a", "UUID": unknown_sha, "Size": 3, "Second": 1,
            "Download_Flag": 2}},
        {"MsgType": "TIMImageElem", "MsgContent": {
            "UUID": tencent_uuid, "ImageFormat": 1, "ImageInfoArray": [
                {"Type": 1, "Size": 5, "Width": 1, "Height": 1,
                 "URL": "https://cos.example/o.jpg"}]}},
    ]
    sent = await service.admin("openim/sendmsg", {
        "SyncOtherMachine": 1, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 1,
        "MsgBody": body})
    assert sent["ErrorCode"] == 0, sent
    (item,) = await roam(service, "alice", "bob")
    file, sound, image = (elem["MsgContent"] for elem in item["MsgBody"])
    assert (file["Url"], file["UUID"]) == ("https://cos.example/f.pdf", "")
    assert (sound["Url"], sound["UUID"]) == ("https://cos.example/s.m4a", "")
    assert image["UUID"] == "" and image["ImageInfoArray"][0]["URL"] == "https://cos.example/o.jpg"


async def test_importmsg_media_is_readable_by_the_receiver(service: Service,
                                                           uploaded: Any) -> None:
    bob = MediaClient(service, "bob")
    try:
        uuid, data = uploaded["file"]
        assert (await bob.get(uuid)).status_code == 403
        imported = await service.admin("openim/importmsg", {
            "SyncFromOldSystem": 2, "From_Account": "alice", "To_Account": "bob",
            "MsgRandom": 9, "MsgTimeStamp": int(time.time()) - 3600,
            "MsgBody": [{"MsgType": "TIMFileElem", "MsgContent": {
                "UUID": uuid, "FileSize": len(data), "FileName": "old.bin"}}]})
        assert imported["ErrorCode"] == 0, imported
        assert (await bob.get(uuid)).content == data
    finally:
        await bob.aclose()


@pytest.mark.parametrize("content", [
    {"MsgType": "TIMImageElem", "MsgContent": {"ImageFormat": 1, "ImageInfoArray": [
        {"Type": 7, "URL": "https://x.example/i"}]}},
    {"MsgType": "TIMImageElem", "MsgContent": {"ImageFormat": "png"}},
    {"MsgType": "TIMImageElem", "MsgContent": {"ImageInfoArray": "nope"}},
    {"MsgType": "TIMImageElem", "MsgContent": {"ImageInfoArray": [{"Type": 1}] * 4}},
    {"MsgType": "TIMFileElem", "MsgContent": {"Url": "https://x.example/f", "FileSize": -1}},
    {"MsgType": "TIMFileElem", "MsgContent": {"Url": "https://x.example/f", "FileSize": 1.5}},
    {"MsgType": "TIMSoundElem", "MsgContent": {"Url": ["not", "a", "string"]}},
    {"MsgType": "TIMVideoFileElem", "MsgContent": {"VideoSecond": 2**70}},
    {"MsgType": "TIMVideoFileElem", "MsgContent": "not an object"},
    {"MsgType": ["TIMFileElem"], "MsgContent": {}},
])
async def test_malformed_media_elements_are_refused_with_90002(
        service: Service, content: dict[str, Any]) -> None:
    await account(service, "alice", "bob")
    reply = await service.admin("openim/sendmsg", {
        "SyncOtherMachine": 1, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 1,
        "MsgBody": [content]})
    assert reply["ActionStatus"] == "FAIL" and reply["ErrorCode"] == ErrorCode.INVALID_MSG_BODY
    assert reply["ErrorInfo"]
    assert await roam(service, "alice", "bob") == []


async def test_out_of_range_values_are_refused_as_the_websocket_refuses_them(
        service: Service) -> None:
    await account(service, "alice", "bob")
    reply = await service.admin("openim/sendmsg", {
        "SyncOtherMachine": 1, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 1,
        "MsgBody": [{"MsgType": "TIMSoundElem", "MsgContent": {
            "Url": "https://x.example/s", "Second": 3600}}]})
    assert reply["ErrorCode"] == ErrorCode.INVALID_MESSAGE, reply
