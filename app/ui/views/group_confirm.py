"""Asking before a group action that cannot be taken back (kick, hand over, leave, dismiss).

Window-modal and opened with `open()`, never `exec()`: a nested event loop inside the qasync
loop is the classic failure. The box names the destructive button after the action ("Remove",
"Dismiss"), as a Cancel/OK pair makes people read twice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str, detail: str, action: str,
            on_yes: Callable[[], None], cancel: str) -> QMessageBox:
    """Ask; `on_yes` runs only if the action button is clicked. Returns the open box."""
    box = QMessageBox(parent)
    box.setObjectName("groupConfirm")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(detail)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    no = box.addButton(cancel, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(_result: int) -> None:
        if box.clickedButton() is yes:
            on_yes()

    box.finished.connect(finished)
    box.open()
    return box
