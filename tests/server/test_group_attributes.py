"""Group attributes over the real service (§1.8, G7): the limits, the shared write rate (one
budget per room, held across nodes), who may read and write, the whole set told to every member
online and to nobody else, and the admin REST commands' shapes."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from app.protocol import Limits
from app.server.groups.attributes import admit_write
from app.server.runner import serving

from .conftest import Client, Service, make_config

ROOM = "room-1"
NO_RATE = Limits(group_attr_writes=0)
TIGHT = Limits(group_attr_writes=3, group_attr_window_ms=60_000)
"""Three writes a minute: a test cannot outrun the window by being slow."""


@pytest.fixture
def service_options() -> dict[str, Any]:
    return {"limits": NO_RATE}


async def attr_events(client: Client) -> list[dict[str, Any]]:
    """The attribute events queued for the connection, once a barrier proved that nothing more
    is on its way."""
    await client.call("profile.set", {})
    found = []
    while not client.pushes.empty():
        frame = client.pushes.get_nowait()
        if frame["push"] == "group.event" and frame["body"]["kind"] == "attributes_changed":
            found.append(frame["body"])
    return found


async def room(service: Service, owner: str, *members: str) -> list[Client]:
    """An AVChatRoom with its owner and members logged in, every earlier push drained."""
    clients = [await service.login(u) for u in (owner, *members)]
    await clients[0].call("group.create", {"group_type": "AVChatRoom", "name": "Live",
                                           "group_id": ROOM})
    for client in clients[1:]:
        await client.call("group.join", {"group_id": ROOM})
    for client in clients:
        await attr_events(client)
    return clients


def put(client: Client, values: dict[str, str], cmd: str = "group.attr_set") -> Any:
    return client.call(cmd, {"group_id": ROOM, "attributes": values})


def put_error(client: Client, values: dict[str, str], cmd: str = "group.attr_set") -> Any:
    return client.error(cmd, {"group_id": ROOM, "attributes": values})


async def test_limits_keys_value_and_total(service: Service) -> None:
    (alice,) = await room(service, "alice")
    sixteen = {f"k{i:02d}": "v" for i in range(16)}
    assert (await put(alice, sixteen))["attributes"] == sixteen
    assert await put_error(alice, {"k16": "v"}) == 10038  # a 17th key
    # replacing a key keeps the count: still allowed
    await put(alice, {"k00": "x" * 4096})
    assert await put_error(alice, {"k01": "x" * 4097}) == 10038  # 4 KB + 1
    # 16 KB for keys and values together: exactly at it passes, one byte over does not
    exact = {f"k{i}": "x" * (4096 - 2) for i in range(4)}
    assert sum(len(k) + len(v) for k, v in exact.items()) == 16 * 1024
    assert (await put(alice, exact, "group.attr_init"))["attributes"] == exact
    assert await put_error(alice, {"z": ""}) == 10038  # one byte more in all
    assert await put_error(alice, {"k0": "x" * 4095}) == 10038
    assert (await alice.call("group.attr_get", {"group_id": ROOM}))["attributes"] == exact
    # keys: 1–32 bytes
    await put(alice, {}, "group.attr_init")
    await put(alice, {"k" * 32: "v"})
    assert await put_error(alice, {"k" * 33: "v"}) == 10038
    assert await put_error(alice, {"": "v"}) == 10004
    # a refused write changed nothing
    assert (await alice.call("group.attr_get", {"group_id": ROOM}))["attributes"] == {
        "k" * 32: "v"}


async def test_17th_key_by_init_is_refused_too(service: Service) -> None:
    (alice,) = await room(service, "alice")
    assert await put_error(alice, {f"k{i}": "" for i in range(17)}, "group.attr_init") == 10038
    assert (await alice.call("group.attr_get", {"group_id": ROOM}))["attributes"] == {}


async def test_init_set_delete_get(service: Service) -> None:
    (alice,) = await room(service, "alice")
    await put(alice, {"a": "1", "b": "2", "c": "3"}, "group.attr_init")
    assert (await put(alice, {"a": "one", "d": "4"}))["attributes"] == {
        "a": "one", "b": "2", "c": "3", "d": "4"}
    assert (await put(alice, {"x": "y"}, "group.attr_init"))["attributes"] == {"x": "y"}
    await put(alice, {"a": "1", "b": "2", "c": "3"})
    deleted = await alice.call("group.attr_delete", {"group_id": ROOM, "keys": ["a", "nope"]})
    assert deleted["attributes"] == {"b": "2", "c": "3", "x": "y"}
    got = await alice.call("group.attr_get", {"group_id": ROOM, "keys": ["c", "a", "x"]})
    assert got["attributes"] == {"c": "3", "x": "y"}
    assert (await alice.call("group.attr_delete", {"group_id": ROOM}))["attributes"] == {}
    assert (await alice.call("group.attr_get", {"group_id": ROOM}))["attributes"] == {}


@pytest.mark.parametrize("service_options", [{"limits": TIGHT}])
async def test_writes_share_one_budget_per_room(service: Service) -> None:
    alice, bob = await room(service, "alice", "bob")
    await put(alice, {"a": "1"}, "group.attr_init")
    await put(bob, {"b": "2"})
    await bob.call("group.attr_delete", {"group_id": ROOM, "keys": ["a"]})
    # init, set and delete, by anyone in the room, spend the same budget
    assert await put_error(alice, {"c": "3"}) == 10049
    assert await put_error(bob, {"c": "3"}, "group.attr_init") == 10049
    assert await bob.error("group.attr_delete", {"group_id": ROOM}) == 10049
    # reads are not counted; the refused writes changed nothing
    for _ in range(5):
        assert (await bob.call("group.attr_get", {"group_id": ROOM}))["attributes"] == {
            "b": "2"}
    # the admin is trusted and not counted
    reply = await service.admin("group_open_http_svc/modify_group_attr", {
        "GroupId": ROOM, "GroupAttr": [{"key": "admin", "value": "yes"}]})
    assert reply["ErrorCode"] == 0, reply


@pytest.mark.parametrize("service_options", [{"limits": TIGHT}])
async def test_failed_writes_do_not_spend_the_budget(service: Service) -> None:
    (alice,) = await room(service, "alice")
    for _ in range(5):
        assert await put_error(alice, {"k": "x" * 5000}) == 10038
    for i in range(3):
        await put(alice, {"k": str(i)})
    assert await put_error(alice, {"k": "3"}) == 10049


async def test_the_budget_holds_across_nodes(tmp_path: Path) -> None:
    """Two nodes on one database: a room's writes through either spend one budget."""
    config = make_config(tmp_path, limits=TIGHT)
    async with contextlib.AsyncExitStack() as stack:
        nodes = [Service(await stack.enter_async_context(serving(config)), config)
                 for _ in range(2)]
        for node in nodes:
            stack.push_async_callback(_close_clients, node)
        alice = await nodes[0].login("alice")
        bob = await nodes[1].login("bob")
        await alice.call("group.create", {"group_type": "AVChatRoom", "name": "Live",
                                          "group_id": ROOM})
        await bob.call("group.join", {"group_id": ROOM})
        await put(alice, {"a": "1"})
        await put(bob, {"b": "1"})
        await put(alice, {"a": "2"})
        assert await put_error(bob, {"b": "2"}) == 10049
        assert await put_error(alice, {"a": "3"}) == 10049


async def _close_clients(service: Service) -> None:
    for client in service.clients:
        await client.close()


def test_the_window_slides() -> None:
    state, wait = "", 0
    for t in (0, 100, 200):
        state, wait = admit_write(state, t, 3, 1000)
        assert wait == 0
    refused, wait = admit_write(state, 999, 3, 1000)
    assert refused == state and wait == 1  # the write at 0 leaves the window at 1000
    state, wait = admit_write(state, 1000, 3, 1000)
    assert wait == 0
    assert admit_write(state, 1050, 3, 1000)[1] == 50  # now the one at 100 is the oldest


async def test_who_may_read_and_write(service: Service) -> None:
    alice, bob = await room(service, "alice", "bob")
    dave = await service.login("dave")
    # any member, not only the owner
    assert (await put(bob, {"seat1": "bob"}))["attributes"] == {"seat1": "bob"}
    # an outsider may neither write nor read
    assert await put_error(dave, {"seat2": "dave"}) == 10012
    assert await dave.error("group.attr_get", {"group_id": ROOM}) == 10012
    assert await dave.error("group.attr_delete", {"group_id": ROOM}) == 10012
    # the other types have no attributes, even for their owner
    for group_type in ("Work", "Public", "Meeting"):
        await alice.call("group.create", {"group_type": group_type, "name": "g",
                                          "group_id": f"g-{group_type}"})
        body = {"group_id": f"g-{group_type}", "attributes": {"k": "v"}}
        assert await alice.error("group.attr_set", body) == 10033
        assert await alice.error("group.attr_get", {"group_id": f"g-{group_type}"}) == 10033
    assert await alice.error("group.attr_get", {"group_id": "no-such-room"}) == 10010
    # a member who left is an outsider again
    await bob.call("group.quit", {"group_id": ROOM})
    assert await put_error(bob, {"seat1": ""}) == 10012


async def test_every_member_online_gets_the_whole_set_outsiders_nothing(
        service: Service) -> None:
    alice, bob, carol = await room(service, "alice", "bob", "carol")
    dave = await service.login("dave")
    await put(bob, {"seat1": "bob"})
    await put(carol, {"seat2": "carol"})
    for member in (alice, bob, carol):
        found = await attr_events(member)
        assert [e["attributes"] for e in found] == [
            {"seat1": "bob"}, {"seat1": "bob", "seat2": "carol"}]
        assert [e["op_user"] for e in found] == ["bob", "carol"]
        assert all(e["group_id"] == ROOM for e in found)
    assert await attr_events(dave) == []
    await bob.call("group.attr_delete", {"group_id": ROOM, "keys": ["seat1"]})
    for member in (alice, bob, carol):
        assert [e["attributes"] for e in await attr_events(member)] == [{"seat2": "carol"}]
    # clearing tells the empty set (omitted on the wire: the default)
    await put(alice, {}, "group.attr_init")
    for member in (alice, bob, carol):
        assert [e.get("attributes", {}) for e in await attr_events(member)] == [{}]
    # a write that changes nothing tells nobody
    await put(alice, {}, "group.attr_init")
    await alice.call("group.attr_delete", {"group_id": ROOM, "keys": ["gone"]})
    for client in (alice, bob, carol, dave):
        assert await attr_events(client) == []
    # a member who joins later reads the set; one who left hears no more
    await put(alice, {"seat1": "alice"})
    await carol.call("group.quit", {"group_id": ROOM})
    await attr_events(carol)
    await put(alice, {"seat3": "x"})
    assert await attr_events(carol) == []
    assert [e["attributes"] for e in await attr_events(bob)] == [
        {"seat1": "alice"}, {"seat1": "alice", "seat3": "x"}]
    await dave.call("group.join", {"group_id": ROOM})
    got = await dave.call("group.attr_get", {"group_id": ROOM})
    assert got["attributes"] == {"seat1": "alice", "seat3": "x"}


async def test_rest_commands(service: Service) -> None:
    alice, bob = await room(service, "alice", "bob")
    reply = await service.admin("group_open_http_svc/modify_group_attr", {
        "GroupId": ROOM, "GroupAttr": [{"key": "k1", "value": "v1"},
                                       {"key": "k2", "value": "v2"}]})
    assert reply == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}
    for member in (alice, bob):
        (event,) = await attr_events(member)
        assert event["attributes"] == {"k1": "v1", "k2": "v2"} and event.get("op_user", "") == ""
    for path in ("group_open_attr_http_svc/get_group_attr", "group_open_http_svc/get_group_attr"):
        reply = await service.admin(path, {"GroupId": ROOM})
        assert reply["ActionStatus"] == "OK" and reply["ErrorCode"] == 0
        assert reply["GroupAttrAry"] == [{"key": "k1", "value": "v1"},
                                         {"key": "k2", "value": "v2"}]
    await service.admin("group_open_http_svc/modify_group_attr", {
        "GroupId": ROOM, "GroupAttr": [{"key": "k1", "value": "new"}]})
    reply = await service.admin("group_open_http_svc/get_group_attr", {"GroupId": ROOM})
    assert reply["GroupAttrAry"] == [{"key": "k1", "value": "new"}, {"key": "k2", "value": "v2"}]
    reply = await service.admin("group_open_http_svc/clear_group_attr", {"GroupId": ROOM})
    assert reply == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}
    reply = await service.admin("group_open_http_svc/get_group_attr", {"GroupId": ROOM})
    assert reply["GroupAttrAry"] == []
    assert (await alice.call("group.attr_get", {"group_id": ROOM}))["attributes"] == {}
    for member in (alice, bob):
        assert [e.get("attributes", {}) for e in await attr_events(member)] == [
            {"k1": "new", "k2": "v2"}, {}]
    # refusals: the same limits and types, Tencent's envelope
    cases = [
        ({"GroupId": ROOM}, 10004),
        ({"GroupId": ROOM, "GroupAttr": []}, 10004),
        ({"GroupId": ROOM, "GroupAttr": ["k"]}, 10004),
        ({"GroupId": ROOM, "GroupAttr": [{"value": "v"}]}, 10004),
        ({"GroupId": ROOM, "GroupAttr": [{"key": "k", "value": "x" * 4097}]}, 10038),
        ({"GroupId": "nowhere", "GroupAttr": [{"key": "k", "value": "v"}]}, 10010),
        ({"GroupAttr": [{"key": "k", "value": "v"}]}, 10004),
    ]
    for body, code in cases:
        reply = await service.admin("group_open_http_svc/modify_group_attr", body)
        assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", code), (body, reply)
        assert reply["ErrorInfo"]
    await alice.call("group.create", {"group_type": "Public", "name": "p", "group_id": "pub"})
    reply = await service.admin("group_open_http_svc/get_group_attr", {"GroupId": "pub"})
    assert reply["ErrorCode"] == 10033
    for client in (alice, bob):
        assert await attr_events(client) == []
