"""The chat UI's parts on their own, without a service: formatting, the composer's keys, the
timeline model's reordering and the delegate's layout cache, the list's selection and filter,
the status line, the dialogs, and retranslation of the whole window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime, QTranslator
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.protocol import ConvType, CustomElem, TextElem
from app.sdk import ConnectionState, Conversation, IMClient, Message, MessageStatus
from app.ui.bridge import SdkBridge
from app.ui.formatting import clock_time, day_label, list_time, message_preview
from app.ui.models.conversations import ConversationListModel
from app.ui.models.timeline import TimelineModel
from app.ui.palette import DARK
from app.ui.settings import AppSettings
from app.ui.theme import apply_theme, current_palette
from app.ui.views import status_line
from app.ui.views.conversation_list import ConversationListPane
from app.ui.views.main_window import MainWindow
from app.ui.views.new_chat import NewChatDialog
from app.ui.views.settings_dialog import SettingsDialog
from app.ui.widgets.composer import MAX_LINES, Composer
from app.ui.widgets.message_text import LINE_BREAK, display_text, find_links
from app.ui.widgets.timeline_view import TimelineView


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(tmp_path / "settings.ini")


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(QLocale.system())


def _ms(date: QDate, hour: int = 12, minute: int = 0) -> int:
    return QDateTime(date, QTime(hour, minute)).toMSecsSinceEpoch()


def _text(msg_id: str, text: str, seq: int, sender: str = "bob", me: str = "alice",
          minute: int = 0) -> Message:
    is_self = sender == me
    return Message(msg_id=msg_id, conv_type=ConvType.C2C, sender=sender,
                   receiver="bob" if is_self else me, seq=seq,
                   time_ms=_ms(QDate(2025, 3, 4), 9, minute), elems=[TextElem(text)],
                   status=MessageStatus.SEND_SUCC, is_self=is_self)


def _conv(peer: str, order: int, pinned: bool = False, unread: int = 0) -> Conversation:
    return Conversation(conversation_id=f"c2c_{peer}", type=ConvType.C2C, user_id=peer,
                        show_name=peer.title(), order_key=order, is_pinned=pinned,
                        unread_count=unread)


# --- formatting ------------------------------------------------------------------------


def test_list_times_and_day_labels_follow_the_calendar(english: None) -> None:
    now = QDateTime(QDate(2025, 3, 14), QTime(18, 30))  # a Friday
    today = now.date()
    assert list_time(_ms(today, 9, 5), now) == clock_time(_ms(today, 9, 5))  # the OS's clock
    assert list_time(_ms(today.addDays(-1)), now) == "Yesterday"
    assert list_time(_ms(today.addDays(-2)), now) == "Wed"
    assert list_time(_ms(QDate(2025, 1, 20)), now) == "Jan 20"
    assert list_time(_ms(QDate(2024, 12, 31)), now) == "12/31/24"
    assert day_label(_ms(today), now) == "Today"
    assert day_label(_ms(today.addDays(-1)), now) == "Yesterday"
    assert day_label(_ms(today.addDays(-3)), now) == "Tuesday"
    assert day_label(_ms(QDate(2025, 1, 20)), now) == "January 20"
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    assert list_time(_ms(QDate(2025, 1, 20)), now) == "1月20日"
    assert list_time(_ms(today, 9, 5), now) == "09:05"


def test_previews_are_one_line_and_name_the_kind(qapp: QApplication) -> None:
    msg = _text("m1", "line one\n\n  line two", 1)
    assert message_preview(msg) == "line one line two"
    msg.elems = [CustomElem("{}", "Shared a location")]
    assert message_preview(msg) == "Shared a location"
    msg.elems = [CustomElem("{}")]
    assert message_preview(msg) == "[Custom message]"


# --- composer --------------------------------------------------------------------------


def test_enter_sends_and_shift_enter_breaks_the_line(qtbot: QtBot, settings: AppSettings
                                                     ) -> None:
    composer = Composer(settings)
    qtbot.addWidget(composer)
    sent: list[str] = []
    composer.send_requested.connect(sent.append)
    qtbot.keyClicks(composer.edit, "one")
    qtbot.keyPress(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer.edit, "two")
    assert not sent
    qtbot.keyPress(composer.edit, Qt.Key.Key_Return)
    assert sent == ["one\ntwo"]

    settings.send_key = "ctrl_enter"
    composer.clear()
    qtbot.keyClicks(composer.edit, "a")
    qtbot.keyPress(composer.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(composer.edit, "b")
    assert composer.text() == "a\nb" and len(sent) == 1
    qtbot.keyPress(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent[-1] == "a\nb"


def test_composer_grows_to_six_lines_and_empty_text_is_not_sent(
    qtbot: QtBot, settings: AppSettings
) -> None:
    composer = Composer(settings)
    qtbot.addWidget(composer)
    composer.resize(500, 200)
    composer.show()
    one = composer.edit.height()
    composer.set_text("\n".join("x" * 3))
    three = composer.edit.height()
    composer.set_text("\n".join("x" * 20))
    assert one < three < composer.edit.height() == composer.edit.height_for(MAX_LINES)
    composer.set_text("   \n ")
    assert not composer.send_button.isEnabled()


# --- timeline model and delegate -------------------------------------------------------


def test_an_ack_moves_my_message_above_a_later_one(qtmodeltester: ModelTester) -> None:
    model = TimelineModel(IMClient())
    model.conversation_id = "c2c_bob"
    qtmodeltester.check(model, force_py=True)
    mine = _text("mine", "sent first", 0, sender="alice")
    mine.status = MessageStatus.SENDING
    model.add_message(_text("a", "before", 1))
    model.add_message(mine)
    model.add_message(_text("b", "stored after mine", 3, minute=1))
    assert [m.msg_id for m in model.messages()] == ["a", "b", "mine"]
    mine.seq, mine.status = 2, MessageStatus.SEND_SUCC  # the SDK updates it in place
    model.add_message(mine)
    assert [m.msg_id for m in model.messages()] == ["a", "mine", "b"]


def test_bubble_layouts_are_cached_and_wrap_within_the_width(qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    model = TimelineModel(IMClient(), view)
    model.conversation_id = "c2c_bob"
    view.setModel(model)
    view.show()
    model.add_message(_text("long", "word " * 120, 1))
    custom = _text("custom", "", 2)
    custom.elems = [CustomElem("{}")]
    model.add_message(custom)
    delegate = view.delegate
    first = delegate.layout_for(model.messages()[0], view.font())
    assert delegate.layout_for(model.messages()[0], view.font()) is first
    assert first.content.width() <= 600 * 0.65
    assert first.text.lineCount() > 3
    italic = delegate.layout_for(model.messages()[1], view.font())
    assert italic.text.font().italic() and italic.text.text() == "[Custom message]"


def test_links_end_where_the_sentence_goes_on() -> None:
    text = display_text("See (https://en.wikipedia.org/wiki/Qt_(software)), then\r\n"
                        "www.example.com/a?b=1. 链接：https://example.cn/路径，好吗")
    assert "\n" not in text and text.count(LINE_BREAK) == 1
    assert [url for _s, _e, url in find_links(text)] == [
        "https://en.wikipedia.org/wiki/Qt_(software)",
        "https://www.example.com/a?b=1",
        "https://example.cn/路径",
    ]
    assert find_links("no links here, nor in http:// alone") == []
    assert [url for _s, _e, url in find_links("You said “see https://example.com” twice")] == [
        "https://example.com"]


# --- conversation list -----------------------------------------------------------------


def test_selection_survives_moves_and_filtering(qtbot: QtBot, qtmodeltester: ModelTester
                                                ) -> None:
    model = ConversationListModel()
    qtmodeltester.check(model, force_py=True)
    pane = ConversationListPane(model)
    qtbot.addWidget(pane)
    chosen: list[str] = []
    pane.conversation_selected.connect(chosen.append)
    model.upsert([_conv("ann", 3), _conv("ben", 2), _conv("cat", 1)])
    pane.list.setCurrentIndex(pane.proxy.index(1, 0))
    assert chosen == ["c2c_ben"]
    model.upsert([_conv("cat", 9, unread=2)])  # moves to the top
    model.upsert([_conv("ann", 1, pinned=True)])  # pinned first
    assert pane.list.currentIndex().data() == "Ben"
    pane.filter.setText("an")
    assert pane.proxy.rowCount() == 1  # "Ann" (and "ben" does not contain "an")
    pane.filter.clear()
    assert pane.list.currentIndex().data() == "Ben"
    model.remove(["c2c_ben"])
    assert chosen == ["c2c_ben"]  # removing the open chat does not open another one


# --- status line -----------------------------------------------------------------------


def test_status_line_counts_down_and_offers_a_retry(qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(status_line.time, "monotonic", lambda: clock[0])
    line = status_line.StatusLine()
    qtbot.addWidget(line)
    line.set_state(ConnectionState.CONNECTED)
    assert line.shown == status_line.Shown.HIDDEN  # connected from the start: nothing to say
    line.set_state(ConnectionState.DISCONNECTED, 6022, "unreachable")
    line.set_retry_in(5)
    assert line.text() == "Offline — retrying in 5 s"
    clock[0] += 3.2
    assert line.text() == "Offline — retrying in 2 s"
    with qtbot.waitSignal(line.retry_requested):
        line._retry.linkActivated.emit("retry")
    line.set_state(ConnectionState.CONNECTING)
    assert line.text() == "Connecting…"
    line.set_state(ConnectionState.CONNECTED)
    assert line.shown == status_line.Shown.HIDDEN  # back online: nothing to say


# --- dialogs ---------------------------------------------------------------------------


def test_new_chat_checks_the_id_in_words(qtbot: QtBot) -> None:
    dialog = NewChatDialog(IMClient())
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.user_id.setText("not valid!")
    assert dialog.error.isVisibleTo(dialog)
    assert "letters, digits" in dialog.error.text()
    assert dialog.height() >= dialog.sizeHint().height()  # the error is not clipped
    chosen: list[tuple[str, str]] = []
    dialog.chosen.connect(lambda user_id, name: chosen.append((user_id, name)))
    dialog.user_id.setText("  bob_2 ")
    assert not dialog.error.isVisibleTo(dialog)
    dialog.ok.click()  # offline: no existence check, the chat opens
    assert chosen == [("bob_2", "")]


def test_settings_apply_at_once(qtbot: QtBot, qapp: QApplication, settings: AppSettings
                                ) -> None:
    dialog = SettingsDialog(settings, "alice")
    qtbot.addWidget(dialog)
    dialog.open()
    try:
        dialog.theme.setCurrentIndex(2)
        assert settings.theme == "dark" and current_palette() is DARK
        dialog.send_key.setCurrentIndex(1)
        assert settings.send_key == "ctrl_enter"
        dialog.notifications.setChecked(False)
        assert not settings.notifications and not dialog.do_not_disturb.isEnabled()
        settings.close_to_tray = False  # changed elsewhere (tray menu): the dialog follows
        assert not dialog.close_to_tray.isChecked()
        with qtbot.waitSignal(dialog.sign_out_requested):
            dialog.sign_out.click()
    finally:
        apply_theme(qapp, "system")


# --- language --------------------------------------------------------------------------


class _Marking(QTranslator):
    """Translates every string to «string», so untranslated leftovers stand out."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return f"«{source}»" if source else source

    def isEmpty(self) -> bool:
        return False


def test_every_visible_text_retranslates(qtbot: QtBot, qapp: QApplication,
                                         settings: AppSettings) -> None:
    client = IMClient()
    window = MainWindow(client, SdkBridge(client), settings)
    qtbot.addWidget(window)
    window.show()
    translator = _Marking()
    QCoreApplication.installTranslator(translator)
    qapp.processEvents()  # LanguageChange is posted, not sent
    try:
        texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QPushButton)
                 if w.isVisible() and w.text() and not w.text().startswith("<")]
        assert texts and all(t.startswith("«") for t in texts), texts
        placeholders = [e.placeholderText() for e in window.findChildren(QLineEdit)]
        assert all(p.startswith("«") for p in placeholders if p)
        assert window.chat.composer.edit.placeholderText().startswith("«")
        assert window.status_line.text().startswith("«")
    finally:
        QCoreApplication.removeTranslator(translator)
        qapp.processEvents()
    assert window.chat.composer.edit.placeholderText() == "Write a message…"


# --- window life -----------------------------------------------------------------------


def test_close_hides_or_asks_to_quit_and_remembers_geometry(
    qtbot: QtBot, arun: Callable[..., Any], settings: AppSettings
) -> None:
    client = IMClient()
    window = MainWindow(client, SdkBridge(client), settings)
    qtbot.addWidget(window)
    window.show()
    window.hide_on_close = True
    window.close()
    assert not window.isVisible() and settings.window_geometry
    window.show()
    window.hide_on_close = False
    with qtbot.waitSignal(window.quit_requested):
        window.close()
    assert window.isVisible()  # the app decides; it awaits shutdown() first
    arun(window.shutdown())
    window.close()
    assert not window.isVisible()
