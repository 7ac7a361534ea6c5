"""Multi-device rules (L8), automatic re-login (L7) and login status (L6)."""

from __future__ import annotations

import asyncio

import pytest

from app.protocol import ErrorCode, IMError, Platform
from app.sdk import LoginStatus
from tests.support.clients import wait_until
from tests.support.stall_proxy import StallProxy


async def test_second_desktop_login_kicks_the_first(peers):
    first = await peers("alice", device="laptop")
    second = await peers("alice", device="desktop")
    await wait_until(lambda: "kicked" in first.recorder.events, what="the kicked event")
    assert first.client.get_login_status() == LoginStatus.LOGOUT
    assert first.client.get_login_user() is None
    assert second.client.get_login_user() == "alice"
    assert "kicked" not in second.recorder.events


async def test_desktop_and_web_sessions_coexist_and_both_receive(peers):
    desktop = await peers("alice", device="desktop")
    web = await peers("alice", device="web", platform=Platform.WEB)
    bob = await peers("bob")
    msg = bob.mm.create_text_message("to both of you")
    await bob.mm.send_message(msg, receiver="alice")
    await wait_until(lambda: desktop.recorder.messages and web.recorder.messages)
    assert desktop.recorder.messages[0].msg_id == web.recorder.messages[0].msg_id == msg.msg_id
    assert "kicked" not in desktop.recorder.events + web.recorder.events


async def test_device_replaced_while_offline_learns_it_on_automatic_relogin(peers):
    laptop = await peers("alice", device="laptop", reconnect_min_s=30, reconnect_max_s=30)
    laptop.client._transport.drop()  # the laptop's network goes away
    await wait_until(lambda: "connect_failed" in laptop.recorder.events)
    await peers("alice", device="desktop")  # meanwhile the account signs in elsewhere
    laptop.client.reconnect_now()  # network is back: automatic re-login with resume
    await wait_until(lambda: "kicked" in laptop.recorder.events, what="6208 on resume")
    assert laptop.client.get_login_status() == LoginStatus.LOGOUT


async def test_network_drop_reconnects_and_relogs_in_by_itself(peers):
    alice, bob = await peers("alice"), await peers("bob")
    alice.client._transport.drop()
    await wait_until(lambda: alice.recorder.events.count("connected") >= 2, what="reconnect")
    await wait_until(lambda: alice.client.ready, what="automatic re-login")
    msg = bob.mm.create_text_message("after the drop")
    await bob.mm.send_message(msg, receiver="alice")
    await wait_until(lambda: alice.recorder.messages)
    assert alice.client.get_login_status() == LoginStatus.LOGINED


async def test_second_concurrent_login_is_refused(peers, service):
    # The first login is held by a frozen link, so it is surely still under way.
    proxy = await StallProxy(service.ws).start()
    try:
        alice = await peers("alice", login=False, url=proxy.ws)
        proxy.freeze()
        first = asyncio.create_task(alice.client.login("alice", service.sig("alice")))
        await wait_until(lambda: alice.client.get_login_status() == LoginStatus.LOGINING,
                         what="the first login to be under way")
        with pytest.raises(IMError) as err:
            await alice.client.login("alice", service.sig("alice"))
        assert err.value.code == ErrorCode.SDK_LOGIN_IN_PROGRESS
        proxy.thaw()
        await first
        assert alice.client.get_login_status() == LoginStatus.LOGINED
    finally:
        await proxy.close()


async def test_expired_sig_is_refused_locally_and_never_sent(peers, service):
    alice = await peers("alice", login=False)
    with pytest.raises(IMError) as err:
        await alice.client.login("alice", service.sig("alice", expire_s=-10))
    assert err.value.code == ErrorCode.SDK_SIG_EXPIRED
    assert alice.client.get_login_status() == LoginStatus.LOGOUT
