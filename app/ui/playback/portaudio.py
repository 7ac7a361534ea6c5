"""PortAudio, through sounddevice, loaded on first use.

Importing sounddevice initialises PortAudio, which enumerates the sound devices: 20–50 ms, too
long for the GUI thread. Workers that open a stream import it where they run; `prefetch()` at
start-up does it early so that the first `VoiceRecorder.available()` on the GUI thread finds it
ready. On Linux the library is the system's libportaudio2: when it is missing, sound is reported
unavailable (with the reason) instead of the app failing to start.

PortAudio lists devices once, when it initialises: a microphone plugged in later is seen at the
next start.
"""

from __future__ import annotations

import logging
import threading
from types import ModuleType

log = logging.getLogger(__name__)

_lock = threading.Lock()
_module: ModuleType | None = None
_problem: str | None = None


def sounddevice() -> ModuleType | None:
    """The sounddevice module, or None when PortAudio cannot be loaded (see `load_problem`)."""
    global _module, _problem
    with _lock:
        if _module is None and _problem is None:
            try:
                import sounddevice as sd
            except OSError as error:  # no libportaudio on this system
                _problem = f"PortAudio is not installed ({error})"
                log.warning("sound unavailable: %s", _problem)
            else:
                _module = sd
        return _module


def load_problem() -> str | None:
    """Why sound is unavailable at all, or None once sounddevice loaded."""
    sounddevice()
    return _problem


def prefetch() -> threading.Thread:
    """Load PortAudio on a short-lived thread (it ends by itself within ~50 ms)."""
    thread = threading.Thread(target=sounddevice, name="portaudio-load", daemon=True)
    thread.start()
    return thread


def has_output() -> bool:
    """Whether there is a default output device to play through."""
    sd = sounddevice()
    if sd is None:
        return False
    try:
        sd.query_devices(kind="output")
    except sd.PortAudioError:
        return False
    return True


def input_problem() -> str | None:
    """None when a default microphone exists, else a sentence saying why recording cannot work."""
    sd = sounddevice()
    if sd is None:
        return _problem
    try:
        sd.query_devices(kind="input")
    except sd.PortAudioError:
        return "No microphone was found on this computer"
    return None
