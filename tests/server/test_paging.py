"""Every paged answer (msg.pull, msg.history, conv.sync) fits the answer byte budget, counting
every field, and paging through returns everything exactly once (issue 6, item 1.5)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from app.protocol import Limits
from app.server.config import load_config
from app.server.runner import serving

from .conftest import ADMIN, APP_ID, Service, make_config, sig
from .helpers_raw import Answer, RawClient

BUDGET = 64 * 1024
BIG = "x" * (12 * 1024 - 40)
"""Text whose payload is just under the 12 KB limit."""


@pytest.fixture
def service_options() -> dict[str, Any]:
    return {"limits": Limits(answer_bytes=BUDGET)}


def text_msg(msg_id: str, sender: str, receiver: str, text: str) -> dict[str, Any]:
    return {"msg": {"msg_id": msg_id, "conv_type": 1, "sender": sender, "receiver": receiver,
                    "elems": [{"type": "text", "text": text}]}}


async def send_all(client: RawClient, sender: str, items: list[tuple[str, str]]) -> None:
    """Pipeline (receiver, text) sends and wait for every ack."""
    sent = [await client.submit("msg.send", text_msg(f"{sender}-{i}", sender, to, text))
            for i, (to, text) in enumerate(items)]
    for s in sent:
        assert (await asyncio.wait_for(s.answer, 20)).body["seq"] > 0


def within(answer: Answer, budget: int = BUDGET) -> Answer:
    # The whole frame, not only the items, stays within the budget.
    assert answer.size <= budget, (answer.size, budget)
    return answer


async def test_pull_pages_by_bytes_and_returns_every_seq_once(service: Service) -> None:
    alice = await RawClient.login(service, "alice")
    bob = await RawClient.login(service, "bob")
    await send_all(alice, "alice", [("bob", BIG if i % 2 else f"small {i}") for i in range(60)])
    seqs: list[int] = []
    pages = 0
    after = 0
    while True:
        body = within(await bob.call("msg.pull", {
            "ranges": [{"conv_id": "c2c_alice", "after_seq": after}], "limit": 1000})).body
        pages += 1
        seqs += [m["seq"] for m in body["messages"]]
        if not body["more"]:
            break
        assert body["messages"], "a cut page still makes progress"
        after = body["messages"][-1]["seq"]
    assert seqs == list(range(1, 61))
    assert pages >= 30 * len(BIG) // BUDGET  # the budget, not the limit, cut the pages


async def test_pull_cut_inside_one_range_continues_with_the_next(service: Service) -> None:
    alice = await RawClient.login(service, "alice")
    await RawClient.login(service, "bob")
    await RawClient.login(service, "carol")
    await send_all(alice, "alice", [("bob", BIG)] * 8 + [("carol", "hello carol")] * 3)
    held = {"c2c_bob": 0, "c2c_carol": 0}
    while True:
        ranges = [{"conv_id": c, "after_seq": s} for c, s in held.items()]
        body = within(await alice.call("msg.pull", {"ranges": ranges, "limit": 1000})).body
        for m in body["messages"]:
            conv_id = f"c2c_{m['receiver']}"
            assert m["seq"] == held[conv_id] + 1, "every seq once, in order"
            held[conv_id] = m["seq"]
        if not body["more"]:
            break
    assert held == {"c2c_bob": 8, "c2c_carol": 3}


async def test_history_cut_by_bytes_is_not_finished(service: Service) -> None:
    alice = await RawClient.login(service, "alice")
    bob = await RawClient.login(service, "bob")
    await send_all(alice, "alice", [("bob", BIG if i % 3 else "short") for i in range(45)])
    seen: list[int] = []
    before = 0
    cut_early = False
    while True:
        body = within(await bob.call("msg.history", {
            "conv_id": "c2c_alice", "before_seq": before, "limit": 100})).body
        page = [m["seq"] for m in body["messages"]]
        assert page == sorted(page, reverse=True) and page
        seen += page
        if body["is_finished"]:
            break
        cut_early |= len(page) < 100
        before = page[-1]
    assert cut_early
    assert seen == list(range(45, 0, -1))


async def test_an_item_larger_than_the_budget_goes_out_alone(tmp_path: Path) -> None:
    config = make_config(tmp_path, limits=Limits(answer_bytes=8 * 1024))
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        alice = await RawClient.login(service, "alice")
        await RawClient.login(service, "bob")
        await send_all(alice, "alice", [("bob", BIG)] * 3)
        after, got = 0, []
        while True:
            body = (await alice.call("msg.pull", {
                "ranges": [{"conv_id": "c2c_bob", "after_seq": after}]})).body
            assert len(body["messages"]) == 1
            got.append(body["messages"][0]["seq"])
            if not body["more"]:
                break
            after = got[-1]
        assert got == [1, 2, 3]
        history = (await alice.call("msg.history", {"conv_id": "c2c_bob", "limit": 10})).body
        assert [m["seq"] for m in history["messages"]] == [3]
        assert history["is_finished"] is False
        page = (await alice.call("conv.sync", {})).body
        assert len(page["conversations"]) == 1 and page.get("more", False) is False


async def make_peers(service: Service, names: list[str]) -> None:
    """Accounts through the admin API, over one HTTP client (each new one loads the CA store)."""
    params = {"sdkappid": APP_ID, "identifier": ADMIN, "usersig": sig(ADMIN), "random": 1,
              "contenttype": "json"}
    async with service.http() as http:
        replies = await asyncio.gather(*(http.post(
            "/v4/im_open_login_svc/account_import", params=params, json={"UserID": n})
            for n in names))
    assert all(r.json()["ActionStatus"] == "OK" for r in replies)


async def sync_pages(client: RawClient, request: dict[str, Any],
                     after: str = "") -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    while True:
        body = within(await client.call("conv.sync", {**request, "after": after})).body
        pages.append(body)
        if not body.get("more", False):
            assert "next_after" not in body
            return pages
        assert body["next_after"] > after
        after = body["next_after"]


async def test_conv_sync_pages_in_conv_id_order_and_returns_each_once(service: Service) -> None:
    peers = [f"peer{i:03d}" for i in range(120)]
    await make_peers(service, peers)
    alice = await RawClient.login(service, "alice")
    await send_all(alice, "alice", [(p, BIG if i % 6 == 0 else f"hi {p}")
                                    for i, p in enumerate(peers)])
    for p in peers[1::6]:  # large drafts make large states too
        assert (await alice.call("conv.update", {"conv_id": f"c2c_{p}", "draft": BIG})).body

    pages = await sync_pages(alice, {})
    assert len(pages) >= 5
    ids = [c["conv_id"] for page in pages for c in page["conversations"]]
    assert ids == sorted(f"c2c_{p}" for p in peers)
    for page in pages:
        last = page.get("next_after")
        if last is not None:
            assert page["conversations"][-1]["conv_id"] == last

    # Up to date: one empty page.
    known = {f"c2c_{p}": 1 for p in peers}
    (page,) = await sync_pages(alice, {"version": pages[-1]["version"], "known": known})
    assert page["conversations"] == []


async def test_first_page_version_catches_changes_made_while_paging(service: Service) -> None:
    peers = [f"peer{i:03d}" for i in range(30)]
    await make_peers(service, peers)
    alice = await RawClient.login(service, "alice")
    await send_all(alice, "alice", [(p, BIG) for p in peers])
    known = {f"c2c_{p}": 1 for p in peers}
    first = within(await alice.call("conv.sync", {"known": {}})).body
    assert first["more"] is True
    taken = first["conversations"][0]["conv_id"]
    # A change to a conversation already delivered, made before the last page is read.
    await alice.call("conv.update", {"conv_id": taken, "pinned": True})
    rest = await sync_pages(alice, {"known": {}}, first["next_after"])
    assert rest[-1]["version"] > first["version"]
    later = await sync_pages(alice, {"version": first["version"], "known": known})
    changed = [c for page in later for c in page["conversations"]]
    assert [(c["conv_id"], c["pinned"]) for c in changed] == [(taken, True)]


async def test_diverged_is_reported_once_across_pages(service: Service) -> None:
    peers = [f"peer{i:03d}" for i in range(40)]
    await make_peers(service, peers)
    alice = await RawClient.login(service, "alice")
    await send_all(alice, "alice", [(p, BIG) for p in peers])
    pulled = (await alice.call("msg.pull", {
        "ranges": [{"conv_id": f"c2c_{p}"} for p in peers[:5]]})).body["messages"]
    tips = {f"c2c_{m['receiver']}": m["msg_id"] for m in pulled}
    tips["c2c_peer002"] = "not-the-message"
    known = {conv_id: 1 for conv_id in tips} | {"c2c_peer039": 5, "c2c_gone": 3}
    pages = await sync_pages(alice, {"version": 0, "known": known, "tips": tips})
    assert len(pages) > 1
    diverged = [c for page in pages for c in page.get("diverged", [])]
    assert diverged == ["c2c_gone", "c2c_peer002", "c2c_peer039"]
    ids = [c["conv_id"] for page in pages for c in page["conversations"]]
    held = {"c2c_peer000", "c2c_peer001", "c2c_peer003", "c2c_peer004"}  # verified, unchanged
    assert ids == sorted({f"c2c_{p}" for p in peers} - held)


def test_the_budget_is_configured_under_limits(tmp_path: Path) -> None:
    toml = tmp_path / "tidings.toml"
    toml.write_text("[limits]\nanswer_bytes = 262144\n")
    config = load_config(["--config", str(toml), "--data-dir", str(tmp_path / "d")], {})
    assert config.limits.answer_bytes == 262144
    for wrong in (100, 64 * 1024 * 1024):
        toml.write_text(f"[limits]\nanswer_bytes = {wrong}\n")
        with pytest.raises(ValueError, match="answer_bytes"):
            load_config(["--config", str(toml), "--data-dir", str(tmp_path / "d")], {})
