"""The main user's desktop app, built the way the bootstrap builds it, for the chat GUI tests.

``open_app`` signs a real ``IMClient`` in against the real service, wraps it in an
``SdkBridge`` and shows a ``MainWindow`` on it; peers are plain SDK clients (``gui_peers``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, QPointF, QRectF
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from app.sdk import Conversation, IMClient, Message
from app.ui.bridge import SdkBridge
from app.ui.models.conversations import Role as ConvRole
from app.ui.models.timeline import Role as TimelineRole
from app.ui.settings import AppSettings
from app.ui.views.chat import ChatView
from app.ui.views.main_window import MainWindow
from app.ui.widgets.message_delegate import RowGeometry
from tests.support.clients import sdk_config
from tests.support.service import Service

WINDOW_SIZE = (1100, 720)


@dataclass
class App:
    client: IMClient
    bridge: SdkBridge
    settings: AppSettings
    window: MainWindow

    async def close(self) -> None:
        await self.window.shutdown()
        self.window.hide()
        self.window.deleteLater()
        self.bridge.detach()
        await self.client.uninit()

    # --- reading what the user sees ------------------------------------------------------

    def listed(self, conversation_id: str) -> Conversation | None:
        return self.window.conversations.conversation(conversation_id)

    def unread(self, conversation_id: str) -> int:
        conv = self.listed(conversation_id)
        return conv.unread_count if conv else -1

    def timeline_texts(self) -> list[str]:
        model = self.window.chat.model
        return [model.index(r).data() for r in range(model.rowCount())]

    def first_visible(self) -> Message | None:
        index: QModelIndex = self.window.chat.timeline.first_visible_index()
        msg = index.data(TimelineRole.MESSAGE) if index.isValid() else None
        return msg if isinstance(msg, Message) else None

    def list_row_ids(self) -> list[str]:
        proxy = self.window.list_pane.proxy
        return [proxy.index(r, 0).data(ConvRole.ID) for r in range(proxy.rowCount())]


async def open_app(service: Service, user_id: str, data_dir: Path,
                   settings: AppSettings | None = None, login: bool = True,
                   **config: float) -> App:
    """Sign `user_id` in (or only open its cache) and show its main window, started;
    `config` overrides SDKConfig fields."""
    client = IMClient()
    client.init(service.sdk_app_id, service.ws, sdk_config(data_dir, **config))
    bridge = SdkBridge(client)
    if login:
        await client.login(user_id, service.sig(user_id))
    else:
        await client.init_storage(user_id)
    settings = settings or AppSettings(data_dir / "settings.ini")
    window = MainWindow(client, bridge, settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    window.activateWindow()
    await window.start()
    return App(client, bridge, settings, window)


AppFactory = Callable[..., Awaitable[App]]


# --- the timeline as the user points at it ----------------------------------------------


def row_geometry(chat: ChatView, row: int) -> RowGeometry:
    """Where the parts of timeline row `row` are drawn, in viewport coordinates."""
    timeline = chat.timeline
    timeline.doItemsLayout()
    index = chat.model.index(row)
    return timeline.delegate.geometry(QRectF(timeline.visualRect(index)), index, timeline.font())


def text_point(chat: ChatView, row: int, position: int) -> QPoint:
    """The viewport point just after character `position` of row `row`'s text, mid-line."""
    timeline = chat.timeline
    geo = row_geometry(chat, row)
    layout = timeline.delegate.layout_for(chat.model.index(row).data(TimelineRole.MESSAGE),
                                          timeline.font()).text
    line = layout.lineForTextPosition(position)
    x, _ = line.cursorToX(position)
    local = QPointF(x, line.y() + line.height() / 2)
    return (timeline.delegate.text_origin(geo) + local).toPoint()


def context_menu_at(chat: ChatView, pos: QPoint) -> QMenu | None:
    """Right-click the timeline's viewport at `pos`; the menu that opened, if any."""
    for old in chat.findChildren(QMenu):
        old.hide()
        old.setParent(None)
        old.deleteLater()
    viewport = chat.timeline.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    menus = chat.findChildren(QMenu)
    return menus[-1] if menus else None


def menu_texts(chat: ChatView, msg_id: str) -> list[str]:
    """The entries of the context menu of message `msg_id`'s bubble."""
    menu = context_menu_at(chat, row_geometry(chat, chat.model.row_of(msg_id))
                           .bubble.center().toPoint())
    assert menu is not None
    texts = [a.text() for a in menu.actions() if a.text()]
    menu.hide()
    return texts


def trigger_action(chat: ChatView, msg_id: str, text: str) -> None:
    """Choose `text` from the context menu of message `msg_id`'s bubble."""
    menu = context_menu_at(chat, row_geometry(chat, chat.model.row_of(msg_id))
                           .bubble.center().toPoint())
    assert menu is not None
    action = next((a for a in menu.actions() if a.text() == text), None)
    assert action is not None, [a.text() for a in menu.actions()]
    menu.hide()
    action.trigger()
