"""Sound and video in the app: playing voice messages and videos, recording voice messages.

Not QtMultimedia: it comes only with PySide6-Addons, a 175 MB wheel (several hundred MB
installed) on top of the 234 MB of PySide6-Essentials, for three jobs this package does with
what the app already carries. PyAV (FFmpeg, already used to probe media) decodes and encodes;
`sounddevice` (a 33 KB wheel over PortAudio — bundled in its Windows and macOS wheels,
`libportaudio2` on Debian) moves samples to and from the sound card. Calls will use the same
audio I/O.

Every decode, encode and device open runs on a worker thread; the GUI thread only sends commands
and reads clocks. Without a sound device (CI, a headless box) a `NullSink` consumes samples in
real time, so players still advance and finish.

Modules: `portaudio` loads sounddevice on first use and says which devices exist; `audio_out`
is the `AudioSink` (a bounded sample buffer whose consumption is the audio clock), device and
null; `track` is the worker-thread skeleton both decoders share (stop, seek, errors as events);
`audio_track` and `video_track` decode a file's sound into a sink and its pictures into a frame
queue; `clock` is a pausable wall clock and `focus` keeps one sound at a time app-wide;
`player` is `AudioPlayer` (voice messages); `video`, `video_controls` and `glyphs` make
`VideoPlayerWidget` and `VideoWindow`; `sources`, `encoder` and `recorder` make `VoiceRecorder`
(microphone or tone in, AAC/M4A out); `voice_widget` is the composer's `RecordingBar`; `timefmt`
writes media times.
"""
