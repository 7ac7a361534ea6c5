"""Mark all read (M7): every conversation with unread messages, C2C and group, read at once on
this device and, by the service, on the user's others; made offline it goes out at login."""

from __future__ import annotations

from app.protocol import Platform
from app.protocol.groups import GroupType
from tests.support.clients import Peer, wait_until


async def total(peer: Peer) -> int:
    return await peer.cm.get_total_unread_message_count()


async def test_everything_read_everywhere_offline_too(peers):
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    phone = await peers("alice", device="phone", platform=Platform.MOBILE)
    group_id = await carol.client.group_manager.create_group(GroupType.WORK, "Crew",
                                                             member_list=["alice"])
    for sender, where in ((bob, {"receiver": "alice"}), (carol, {"receiver": "alice"}),
                          (carol, {"group_id": group_id})):
        for i in range(2):
            await sender.mm.send_message(sender.mm.create_text_message(f"hi {i}"), **where)
    for device in (alice, phone):
        await wait_until(lambda d=device: _is(d, 6), what="six unread")

    await alice.mm.mark_all_message_as_read()
    assert await total(alice) == 0
    await wait_until(lambda: _is_zero(phone), what="the phone read too")

    # offline: shown read at once, sent at the next login
    await bob.mm.send_message(bob.mm.create_text_message("again"), receiver="alice")
    await wait_until(lambda: _is(alice, 1), what="one more")
    await alice.close()
    offline = await peers("alice", login=False)
    await offline.client.init_storage("alice")
    await offline.mm.mark_all_message_as_read()
    assert await total(offline) == 0
    await offline.close()
    await peers("alice")
    await wait_until(lambda: _is_zero(phone), what="the offline read reaching the phone")


async def _is(peer: Peer, count: int) -> bool:
    return await total(peer) == count


async def _is_zero(peer: Peer) -> bool:
    return await _is(peer, 0)
