"""The SDK's friendship listener re-emitted as Qt signals.

Like `GroupBridge`: the SDK runs on the GUI thread's qasync loop, so callbacks emit directly.
The Contacts page's views only need to know *what kind* of thing changed — friend records
(upserted or removed as row diffs), the requests (few: read again), the badge's count, the
blacklist — so the eleven listener methods fold into a handful of signals.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.protocol.friends import BlackEntry, Friend, FriendApplication, FriendGroup
from app.sdk import FriendshipListener, IMClient


class FriendBridge(QObject, FriendshipListener):
    friends_changed = Signal(list)
    """Friend records added to my list or changed (remark, groups, their profile)."""
    friends_removed = Signal(list)
    """User IDs no longer in my list."""
    applications_changed = Signal()
    """A request to me or from me came, went or was read: read the list again."""
    unread_changed = Signal(int)
    """The "New friends" badge."""
    black_list_changed = Signal()
    friend_groups_changed = Signal()
    """Friend groups made, renamed, deleted or their members changed."""

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self._attached = True
        client.friendship_manager.add_friend_listener(self)
        # A C++-deleted bridge must not stay among the SDK's listeners: its signals would raise.
        self.destroyed.connect(lambda *_: self.detach())

    def detach(self) -> None:
        if self._attached:
            self._attached = False
            self.client.friendship_manager.remove_friend_listener(self)

    # FriendshipListener ------------------------------------------------------------------

    def on_friend_list_added(self, friends: list[Friend]) -> None:
        self.friends_changed.emit(friends)

    def on_friend_list_deleted(self, user_ids: list[str]) -> None:
        self.friends_removed.emit(user_ids)

    def on_friend_info_changed(self, friends: list[Friend]) -> None:
        self.friends_changed.emit(friends)

    def on_friend_application_list_added(self, applications: list[FriendApplication]
                                         ) -> None:
        self.applications_changed.emit()

    def on_friend_application_list_deleted(self, user_ids: list[str]) -> None:
        self.applications_changed.emit()

    def on_friend_application_list_read(self) -> None:
        self.applications_changed.emit()

    def on_friend_application_unread_count_changed(self, count: int) -> None:
        self.unread_changed.emit(count)

    def on_black_list_added(self, entries: list[BlackEntry]) -> None:
        self.black_list_changed.emit()

    def on_black_list_deleted(self, user_ids: list[str]) -> None:
        self.black_list_changed.emit()

    def on_friend_groups_changed(self, groups: list[FriendGroup]) -> None:
        self.friend_groups_changed.emit()

    def on_friend_groups_deleted(self, names: list[str]) -> None:
        self.friend_groups_changed.emit()
