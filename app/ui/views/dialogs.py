"""Why a session ended without the user asking: the account signed in elsewhere (L8), or its
sign-in expired. Shown over the sign-in window the user is sent back to.

The dialog is window-modal and opened with `open()`, never `exec()`: a nested event loop inside
a running coroutine is the classic qasync failure ("Cannot enter into task … while another task
is being executed").
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.i18n import Retranslatable


class SignedOutReason(Enum):
    KICKED = "kicked"
    """The same account signed in on another device of the same kind."""
    EXPIRED = "expired"
    """The UserSig expired or was refused: only a new password sign-in helps."""


class SignedOutDialog(Retranslatable, QMessageBox):
    def __init__(self, reason: SignedOutReason, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reason = reason
        self.setObjectName(f"signed-out-{reason.value}")
        self.setIcon(QMessageBox.Icon.Information if reason is SignedOutReason.KICKED
                     else QMessageBox.Icon.Warning)
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.retranslate()

    def retranslate(self) -> None:
        if self.reason is SignedOutReason.KICKED:
            self.setWindowTitle(self.tr("Signed out"))
            self.setText(self.tr("Your account signed in on another computer, so it was "
                                 "signed out here."))
            self.setInformativeText(self.tr("Sign in again to continue here; the other "
                                            "computer will then be signed out."))
        else:
            self.setWindowTitle(self.tr("Sign in again"))
            self.setText(self.tr("Your sign-in has expired."))
            self.setInformativeText(self.tr("Sign in with your password to continue."))
