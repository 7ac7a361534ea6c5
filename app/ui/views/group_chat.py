"""What a chat view needs to know about the group it shows: the members' names (bubbles are
labelled name card → nickname → ID, C1), who "@" offers, and the header's member line.

Members are read in pages from the service when the chat opens and again when the group's
members change; a group chat opened offline labels messages from what each message carries (the
sender's name card and nickname when it was sent) until the list arrives.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.protocol import AT_ALL, IMError
from app.protocol.groups import GroupMember
from app.sdk import Conversation, IMClient
from app.ui.tasks import TaskGroup
from app.ui.widgets.mention_picker import Candidate

ROSTER_MAX = 2000
"""Members read for names and "@": a big group's first pages (the rest show their own names)."""
PAGE = 50


def member_name(member: GroupMember) -> str:
    return member.name_card or member.nick or member.user_id


def members_line(count: int) -> str:
    if count == 1:
        return QCoreApplication.translate("GroupChat", "1 member")
    return QCoreApplication.translate("GroupChat", "%1 members").replace("%1", str(count))


class GroupChat(QObject):
    changed = Signal()
    """Names, candidates or the member line changed: the view redraws."""

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = TaskGroup("group chat")
        self.group_id = ""
        self.names: dict[str, str] = {}
        self.face_urls: dict[str, str] = {}
        """Members' face URLs (bubbles' avatars)."""
        self.candidates: list[Candidate] = []
        self._loading: object | None = None

    def open(self, conv: Conversation) -> None:
        """A chat opened: a group's members are read; a one-to-one chat clears it all."""
        self.group_id = conv.group_id
        self.names, self.face_urls, self.candidates = {}, {}, []
        self._loading = None
        if conv.group_id:
            self.reload()

    def reload(self) -> None:
        if self.group_id and self.client.ready:
            token = self._loading = object()
            self.tasks.run(self._read(self.group_id, token))

    def subtitle(self) -> str | None:
        """The header's second line, or None outside a group."""
        if not self.group_id:
            return None
        info = self.client.group_manager.cached_group(self.group_id)
        if info is None:
            return QCoreApplication.translate("GroupChat", "You are not in this group")
        return members_line(info.member_count)


    async def _read(self, group_id: str, token: object) -> None:
        manager = self.client.group_manager
        members: list[GroupMember] = []
        next_seq = 0
        try:
            while len(members) < ROSTER_MAX:
                page = await manager.get_group_member_list(group_id, next_seq=next_seq,
                                                           count=PAGE)
                members += page.members
                next_seq = page.next_seq
                if not next_seq:
                    break
        except IMError:
            return  # offline or no longer a member: messages keep their own names
        if token is not self._loading:
            return
        me = self.client.me
        self.names = {m.user_id: member_name(m) for m in members}
        self.face_urls = {m.user_id: m.face_url for m in members if m.face_url}
        others = sorted((m for m in members if m.user_id != me),
                        key=lambda m: member_name(m).casefold())
        self.candidates = [Candidate(m.user_id, member_name(m)) for m in others]
        self.candidates.insert(0, Candidate(AT_ALL, ""))  # any member may mention everyone
        self.changed.emit()
