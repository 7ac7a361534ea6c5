"""What the demo shows: its users and the history of their chats with the demo user.

Pure data, so it can be read and reviewed as a script. People are clubs, teams and handles —
never realistic personal names — and the chats mix Chinese and English, as Tidings' users do.
Times are "days ago" plus a wall-clock time, so the history always spans the last few days and
the chat view has day separators to show; `seed.py` turns them into timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DemoUser:
    user_id: str
    nick: str


@dataclass(frozen=True, slots=True)
class Custom:
    """A custom message: JSON for apps that understand it, a description for those that don't."""

    data: dict[str, object]
    description: str


@dataclass(frozen=True, slots=True)
class Media:
    """A photo, video, voice note or document the demo draws (``media.ITEMS`` names them)."""

    item: str


@dataclass(frozen=True, slots=True)
class Place:
    desc: str
    longitude: float
    latitude: float


Body = str | Custom | Media | Place


@dataclass(frozen=True, slots=True)
class Line:
    days_ago: int
    at: str
    """Local wall-clock time "HH:MM"; today's lines are moved earlier if that is still ahead."""
    mine: bool
    """Sent by the demo user (else by the conversation's peer)."""
    body: Body
    unread: bool = False
    """Left unread, so the demo opens with badges on the list and the tray."""
    by: DemoUser | None = None
    """Who says it in a group (else the group's owner); one-to-one lines have the peer."""


def peer(days_ago: int, at: str, body: Body, *, unread: bool = False,
         by: DemoUser | None = None) -> Line:
    return Line(days_ago, at, False, body, unread, by)


def me(days_ago: int, at: str, body: Body) -> Line:
    return Line(days_ago, at, True, body)


@dataclass(frozen=True, slots=True)
class Group:
    """A real group, made through the admin REST API: ``kind`` and ``join`` are Tencent's
    names (``Private``/``Public``; ``FreeAccess``/``NeedPermission``)."""

    kind: str
    owner: DemoUser
    members: tuple[DemoUser, ...]
    join: str = ""
    introduction: str = ""


@dataclass(frozen=True, slots=True)
class Chat:
    peer: DemoUser
    """The other person, or for a group its ID and name."""
    lines: tuple[Line, ...] = field(default_factory=tuple)
    group: Group | None = None

    def speaker(self, line: Line) -> DemoUser:
        if self.group is None:
            return self.peer
        return line.by or self.group.owner


DEMO_USER = DemoUser("guest", "Guest 访客")
BOT = DemoUser("tidings-bot", "Tidings 小助手")
COFFEE_LOVER = DemoUser("coffee-lover", "Coffee Lover")
WEEKEND_HIKER = DemoUser("weekend-hiker", "Weekend Hiker")
PACE_SETTER = DemoUser("pace-setter", "配速员")
RIVER_LOOP = DemoUser("river-loop", "River Loop")
PIXEL_PUSHER = DemoUser("pixel-pusher", "像素工坊")
GRID_LINES = DemoUser("grid-lines", "Grid Lines")
PAGE_TURNER = DemoUser("page-turner", "Page Turner 书虫")
NEWCOMER = DemoUser("trail-newbie", "Trail Newbie")
"""Asks to join the Book Club while the demo runs: the demo user, its owner, decides."""

USERS = (DEMO_USER, BOT, COFFEE_LOVER, WEEKEND_HIKER, PACE_SETTER, RIVER_LOOP, PIXEL_PUSHER,
         GRID_LINES, PAGE_TURNER, NEWCOMER)

@dataclass(frozen=True, slots=True)
class Card:
    """What a demo user's profile card shows besides the nickname."""

    signature: str
    gender: str = "Unknown"
    """Tencent's ``Gender_Type_*`` name: Male, Female or Unknown."""
    location: str = ""
    avatar: str = ""
    """One of ``demo.media.AVATARS``; none: initials, as many people keep."""


CARDS = {
    DEMO_USER: Card("Trying out Tidings 👋"),
    BOT: Card("我会掷骰子、讲笑话，也会回你的话。 I roll dice and answer back."),
    COFFEE_LOVER: Card("Pour-over, 1:16, 93 °C ☕", "Female", "Chengdu", "coffee"),
    WEEKEND_HIKER: Card("Weekends are for ridgelines 🌄", "Male", "Chengdu", "ridge"),
    PACE_SETTER: Card("周六夜跑，风雨无阻。", "Male", "成都"),
    RIVER_LOOP: Card("10K a week, every week", "Female", "Chengdu", "dusk"),
    PIXEL_PUSHER: Card("设计小组 · 图标和界面", "Female", "上海", "logo"),
    GRID_LINES: Card("Everything on a 4 px grid", "Male", "Shanghai"),
    PAGE_TURNER: Card("一个月一本书 📚", "Female", "北京"),
    NEWCOMER: Card("Just started running!", "Unknown", "Chengdu"),
}


@dataclass(frozen=True, slots=True)
class Friend:
    user: DemoUser
    group: str
    """The demo user's friend group they are in."""
    remark: str = ""


FRIENDS = (
    Friend(COFFEE_LOVER, "朋友 Friends", "咖啡搭子 Coffee buddy"),
    Friend(WEEKEND_HIKER, "朋友 Friends"),
    Friend(PAGE_TURNER, "朋友 Friends"),
    Friend(PACE_SETTER, "跑团 Runners"),
    Friend(RIVER_LOOP, "跑团 Runners"),
    Friend(PIXEL_PUSHER, "同事 Work"),
    Friend(GRID_LINES, "同事 Work"),
    Friend(BOT, "朋友 Friends"),
)
"""The demo user's friends, both ways; the newcomer's request waits in "New friends"."""
FRIEND_REQUEST = "Hi! I saw you run the Book Club — mind if I add you?"

NIGHT_RUNNERS = DemoUser("night-runners", "夜跑俱乐部")
DESIGN_TEAM = DemoUser("design-team", "设计小组")
BOOK_CLUB = DemoUser("book-club", "读书会 Book Club")

CHATS = (
    Chat(BOT, (
        peer(3, "09:00", "欢迎来到 Tidings！我是小助手，发送 /help 看看我能做什么。"),
        peer(3, "09:00", "Welcome to Tidings! I'm the helper bot — send /help to see what "
                         "I can do."),
        me(3, "09:04", "/dice"),
        peer(3, "09:04", "🎲 You rolled a 4."),
        peer(0, "09:30", "有新消息时，托盘图标会显示未读数。回我一句试试吧！", unread=True),
    )),
    Chat(NIGHT_RUNNERS, (
        peer(4, "20:10", "本周六晚上 8 点，滨江步道 10 公里，老地方集合 🏃"),
        me(4, "20:15", "报名！配速 6 分左右可以跟吗？"),
        peer(4, "20:16", "可以，我们分快慢两组，慢组配速 6:30。"),
        peer(4, "20:20", "I'll run with the slow group too 🙌", by=RIVER_LOOP),
        peer(2, "21:40", Custom({"type": "event", "title": "周六夜跑 10K", "place": "滨江步道",
                                 "time": "20:00"}, "[活动] 周六夜跑 10K")),
        me(2, "21:42", "收到 👍"),
        peer(0, "18:30", "今晚降温，记得带件薄外套。", unread=True),
        peer(0, "18:31", "出发前在这里报个到～", unread=True, by=RIVER_LOOP),
    ), Group("Public", PACE_SETTER, (DEMO_USER, RIVER_LOOP, COFFEE_LOVER), "NeedPermission",
             "每周六滨江夜跑，快慢两组。")),
    Chat(COFFEE_LOVER, (
        peer(5, "08:30", "Morning! Tried the new Ethiopian beans at the corner café — "
                         "so fruity ☕"),
        me(5, "08:42", "Nice! Pour-over or espresso?"),
        peer(5, "08:45", "Pour-over, 1:16 ratio, 93 °C. Want the recipe?"),
        me(5, "08:46", "Yes please!"),
        peer(5, "08:50", Custom({"type": "recipe", "title": "Ethiopian pour-over",
                                 "ratio": "1:16", "water_c": 93}, "[Recipe] Ethiopian pour-over")),
        peer(5, "08:52", Media("voice-recipe")),
        me(1, "16:19", Media("coffee")),
        me(1, "16:20", "Made it this morning, it was great. Thanks!"),
        peer(1, "16:25", "Glad you liked it! Next time try a slightly coarser grind."),
    )),
    Chat(DESIGN_TEAM, (
        peer(3, "10:00", "新版图标的初稿放到共享盘了，大家有空看看。"),
        peer(3, "10:01", Media("icon-drafts")),
        peer(3, "10:02", Media("icon-guidelines")),
        me(3, "10:30", "Looks great! Maybe a bit more contrast in the dark theme?"),
        peer(3, "10:31", "+1, the outline set reads better at 16 px.", by=GRID_LINES),
        peer(3, "10:32", "好主意，我调一下暗色模式的对比度。"),
        peer(2, "15:00", Custom({"type": "poll", "question": "新 logo 选哪个？",
                                 "options": ["A 圆角", "B 直角"]}, "[投票] 新 logo 选哪个？")),
        me(2, "15:05", "投 A，圆角更友好。"),
        peer(1, "11:15", "结果出来了：A 胜出 🎉 周五前定稿。"),
    ), Group("Private", PIXEL_PUSHER, (DEMO_USER, GRID_LINES))),
    Chat(WEEKEND_HIKER, (
        peer(6, "19:00", "Anyone up for a ridge trail this Sunday? About 12 km, 600 m of "
                         "climbing."),
        me(6, "19:20", "Count me in. What time do we start?"),
        peer(6, "19:22", "7:30 at the trailhead car park. Bring water and snacks!"),
        peer(6, "19:23", Place("Ridge trailhead car park", 103.9523, 30.6574)),
        peer(2, "20:05", "Photos from Sunday are up — the sunrise was unreal 🌄"),
        peer(2, "20:06", Media("sunrise")),
        peer(2, "20:07", Media("sunrise-clip")),
        me(2, "20:30", "太美了！下次还去。"),
    )),
    Chat(BOOK_CLUB, (
        me(5, "21:00", "本月共读书单已更新，周日晚上线上讨论 📚"),
        me(5, "21:01", Media("reading-list")),
        peer(5, "21:10", "好的，我先读前五章。", by=PAGE_TURNER),
        peer(4, "22:00", "Reminder: bring one quote you liked to Sunday's call.",
             by=WEEKEND_HIKER),
    ), Group("Public", DEMO_USER, (PAGE_TURNER, WEEKEND_HIKER), "NeedPermission",
             "每月共读一本书，周日晚上线上讨论。")),
)
