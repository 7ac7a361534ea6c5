"""The demo user's people: profiles on every card, friends both ways in friend groups, and one
request waiting in "New friends" — seeded through the admin API like the history, so the
contacts pane shows what a migrated account would."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from .content import CARDS, DEMO_USER, FRIEND_REQUEST, FRIENDS, NEWCOMER, Card, DemoUser

if TYPE_CHECKING:
    from .seed import AdminApi
    from .uploads import DemoMedia

SNS = "sns/"


async def seed_relationships(api: AdminApi, media: DemoMedia) -> None:
    async def card_of(user: DemoUser, card: Card) -> None:
        items = [{"Tag": "Tag_Profile_IM_SelfSignature", "Value": card.signature},
                 {"Tag": "Tag_Profile_IM_Gender", "Value": f"Gender_Type_{card.gender}"},
                 {"Tag": "Tag_Profile_IM_Location", "Value": card.location}]
        if card.avatar:
            items.append({"Tag": "Tag_Profile_IM_Image",
                          "Value": await media.avatar(user.user_id, card.avatar)})
        await api.call("profile/portrait_set", {"From_Account": user.user_id,
                                                "ProfileItem": items})

    await asyncio.gather(*(card_of(user, card) for user, card in CARDS.items()))
    held = await api.call(SNS + "group_get", {"From_Account": DEMO_USER.user_id})
    have = {item["GroupName"] for item in held.get("ResultItem", [])}
    groups = [g for g in dict.fromkeys(f.group for f in FRIENDS) if g not in have]
    if groups:  # a seeding run again without its marker finds them made
        await api.call(SNS + "group_add", {"From_Account": DEMO_USER.user_id,
                                           "GroupName": groups})
    await api.call(SNS + "friend_import", {
        "From_Account": DEMO_USER.user_id, "AddFriendItem": [
            {"To_Account": f.user.user_id, "GroupName": [f.group], "Remark": f.remark,
             "AddSource": "AddSource_Type_Demo"} for f in FRIENDS]})
    await asyncio.gather(*(api.call(SNS + "friend_import", {
        "From_Account": f.user.user_id, "AddFriendItem": [
            {"To_Account": DEMO_USER.user_id, "AddSource": "AddSource_Type_Demo"}]})
        for f in FRIENDS))
    await api.call(SNS + "friend_add", {
        "From_Account": NEWCOMER.user_id, "AddType": "Add_Type_Both", "AddFriendItem": [
            {"To_Account": DEMO_USER.user_id, "AddWording": FRIEND_REQUEST,
             "AddSource": "AddSource_Type_Search"}]})
