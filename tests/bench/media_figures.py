"""Media figures, each beside a ceiling measured in the same run on the same machine:

- upload and download throughput (MB/s) of one big file on loopback, through the real service
  and the SDK's own transfer code (chunked, resumable uploads; ranged, verified downloads),
  beside a plain HTTP copy of the same file between the same libraries (httpx → a bare
  Starlette app under uvicorn, a streamed body into a file and a ``FileResponse`` back);
- time from opening a cached chat of 1,000 image messages to its first screen painted with
  every visible thumbnail decoded, beside the same chat of 1,000 text messages;
- GUI-thread frame times while scrolling that chat from the bottom to the top, beside the
  same scroll over the text chat.

Why they matter: a user judges media by two things — how long a photo or a file takes to go
and come, and whether a chat full of pictures opens and scrolls as smoothly as one of text.
The ceilings say how much of each cost is the app's (protocol, hashing, durability, thumbnail
decoding, bubble painting) rather than the machine's or the libraries'.

The cache the GUI figures open is built honestly: a real sender sends image messages (a set of
distinct PNGs made with Pillow, the rest forwarded copies of them) and text messages through
the real service to a real receiver, whose SDK stores them and downloads the thumbnails into
its media cache. Each chat is then opened in a fresh process (offscreen, offline, from the
cache, as ``desktop_chat`` does), so neither figure inherits the other's decoded images.

    python -m tests.bench.media_figures [--mb 50] [--runs 3] [--messages 1000]
                                        [--distinct 60] [--opens 5] [--step 120]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from tests.bench.cached_account import LINES
from tests.support import media_files
from tests.support.service import Service

ME = "media-me"
PICTURES = "pictures"
WRITER = "writer"
GREETER = "greeter"
CHATS = {"images": f"c2c_{PICTURES}", "text": f"c2c_{WRITER}"}
SMALL_CHAT = f"c2c_{GREETER}"
UNREACHABLE = "ws://127.0.0.1:9/ws"
MB = 1024 * 1024
READ_CHUNK = MB
SIZES = ((640, 480), (480, 640), (640, 360))
"""Photo-like aspect ratios whose 198-px thumbnail fills a bubble (none is square: a square
bubble is larger than its thumbnail allows and would ask for the large level)."""
RESULT = "media-figures result "


def mb_per_s(size: int, seconds: float) -> float:
    return size / MB / seconds


def sha256_of(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def pct(data: list[float], p: float) -> float:
    ordered = sorted(data)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


# --- 1. throughput -------------------------------------------------------------------------


def plain_server(root: Path) -> None:
    """The ceiling's server, in its own process as the service is: stores a streamed body as a
    file, serves it back with ``FileResponse``. Prints ``plain ready <port>``."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, Response
    from starlette.routing import Route

    async def store(request: Request) -> Response:
        target = root / request.path_params["name"]
        size = 0
        with target.open("wb") as out:
            async for part in request.stream():
                out.write(part)
                size += len(part)
        return JSONResponse({"size": size})

    async def serve_file(request: Request) -> Response:
        return FileResponse(root / request.path_params["name"])

    app = Starlette(routes=[Route("/files/{name}", store, methods=["PUT", "POST"]),
                            Route("/files/{name}", serve_file, methods=["GET"])])
    # Bound as uvicorn binds its own (IPPROTO_TCP, so asyncio sets TCP_NODELAY on every
    # accepted connection): the libraries at their best, which is what a ceiling is.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # connections wait in the backlog until uvicorn accepts them
    server = uvicorn.Server(uvicorn.Config(app, http="h11", log_level="warning",
                                           access_log=False, lifespan="off"))
    print(f"plain ready {sock.getsockname()[1]}", flush=True)
    server.run(sockets=[sock])


def start_plain(root: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.bench.media_figures", "--plain-server",
                             str(root)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline().split()[-1])
    return proc, f"http://127.0.0.1:{port}"


async def file_chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as fh:
        while data := await asyncio.to_thread(fh.read, READ_CHUNK):
            yield data


async def plain_copy(base: str, path: Path, out: Path) -> tuple[float, float]:
    """Seconds to PUT `path` as a streamed body and to GET it back into `out`."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=120, trust_env=False) as http:
        # Untimed: the connection and the server's worker threads warmed, as the service's are
        # by the time the SDK's transfer runs (it signed in first).
        (await http.put("/files/warm-up", content=b"x")).raise_for_status()
        (await http.get("/files/warm-up")).raise_for_status()
        started = time.perf_counter()
        reply = await http.put(f"/files/{path.name}", content=file_chunks(path),
                               headers={"content-type": "application/octet-stream"})
        reply.raise_for_status()
        up = time.perf_counter() - started
        started = time.perf_counter()
        async with http.stream("GET", f"/files/{path.name}") as response:
            response.raise_for_status()
            with out.open("wb") as sink:
                async for piece in response.aiter_bytes():
                    sink.write(piece)
        down = time.perf_counter() - started
    return up, down


async def sdk_copy(service: Service, root: Path, path: Path, size: int, out: Path
                   ) -> tuple[float, float]:
    """Seconds for the SDK's MediaTransfer (of a signed-in client) to upload `path` to the
    service and download it back into `out` (verification against its SHA-256 included)."""
    from app.protocol import MediaKind
    from tests.support.clients import connect

    uuid = sha256_of(path)  # the SDK hashes while copying into its cache, before any upload
    peer = await connect(service, "mover", root / "mover")
    try:
        transfer = peer.client.media.transfer
        started = time.perf_counter()
        await transfer.upload(path, uuid, MediaKind.FILE, name=path.name)
        up = time.perf_counter() - started
        started = time.perf_counter()
        await transfer.download(uuid, out, size=size)
        down = time.perf_counter() - started
    finally:
        await peer.close()
    return up, down


async def throughput(service: Service, root: Path, size: int, runs: int) -> None:
    plain_dir = root / "plain-store"
    plain_dir.mkdir()
    proc, base = start_plain(plain_dir)
    sdk: list[tuple[float, float]] = []
    plain: list[tuple[float, float]] = []
    sdk_intact = plain_intact = True
    try:
        for run in range(runs):
            src = media_files.random_file(root / f"random-{run}.bin", size)  # new content
            digest = sha256_of(src)
            got, copied = root / f"sdk-{run}.bin", root / f"plain-{run}.bin"
            # Each copy starts with no dirty pages to write back (the other's 100+ MB would
            # slow whichever runs second), and they take turns going first.
            for ours in (run % 2 == 0, run % 2 == 1):
                await asyncio.to_thread(os.sync)
                if ours:
                    sdk.append(await sdk_copy(service, root, src, size, got))
                else:
                    plain.append(await plain_copy(base, src, copied))
            sdk_intact = sdk_intact and sha256_of(got) == digest
            plain_intact = plain_intact and sha256_of(copied) == digest
            for leftover in (src, got, copied, plain_dir / src.name):
                leftover.unlink(missing_ok=True)
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"media transfer of {size / MB:.0f} MB of random bytes on loopback, median of "
          f"{runs} run(s): the SDK's MediaTransfer through the service (1 MiB chunks; the "
          "download verifies its SHA-256) vs a plain httpx → Starlette/uvicorn copy", flush=True)
    for label, index in (("upload", 0), ("download", 1)):
        ours = mb_per_s(size, statistics.median(s[index] for s in sdk))
        ceiling = mb_per_s(size, statistics.median(p[index] for p in plain))
        print(f"  {label} {ours:.1f} MB/s vs plain copy {ceiling:.1f} MB/s "
              f"(ratio {ours / ceiling:.2f})", flush=True)
    print(f"  bytes the SDK downloaded {'equal' if sdk_intact else 'DIFFER FROM'} the original "
          f"(sha256, every run); the plain copy's "
          f"{'equal' if plain_intact else 'DIFFER FROM'} it too", flush=True)


# --- 2./3. the cache the GUI opens ---------------------------------------------------------


def picture(path: Path, index: int) -> Path:
    """A distinct photo-like PNG: a gradient with a few coloured shapes placed by `index`."""
    from PIL import ImageDraw

    width, height = SIZES[index % len(SIZES)]
    image = media_files.gradient(width, height).rotate(index * 37 % 360, expand=False)
    draw = ImageDraw.Draw(image)
    rnd = random.Random(index)
    for _ in range(6):
        x, y = rnd.randrange(width), rnd.randrange(height)
        r = rnd.randrange(20, 120)
        draw.ellipse([x - r, y - r, x + r, y + r],
                     fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    draw.text((12, 12), f"#{index}", fill=(255, 255, 255))
    image.save(path, "PNG")
    return path


async def send_all(make: Callable[[int], Any], count: int, window: int = 32) -> None:
    """`count` sends (`make(i)` returns the coroutine of one), at most `window` in flight."""
    gate = asyncio.Semaphore(window)

    async def one(i: int) -> None:
        async with gate:
            await make(i)

    await asyncio.gather(*(one(i) for i in range(count)))


async def build_cache(service: Service, root: Path, messages: int, distinct: int) -> Path:
    """The receiver's data directory, holding the images chat (thumbnails in its media cache),
    the text chat and a small chat to switch to; everything read."""
    from app.protocol import ImageKind
    from tests.support.clients import connect, wait_until

    started = time.perf_counter()
    me = await connect(service, ME, root / "me")
    writer = await connect(service, WRITER, root / WRITER)
    greeter = await connect(service, GREETER, root / GREETER)
    peers = [me, writer, greeter]
    try:
        folder = root / "pngs"
        folder.mkdir()
        pictures = await connect(service, PICTURES, root / PICTURES)
        originals = []
        try:
            for i in range(min(distinct, messages)):
                made = await pictures.mm.create_image_message(str(picture(folder / f"{i}.png",
                                                                          i)))
                originals.append(await pictures.mm.send_message(made, receiver=ME))
        finally:
            await pictures.close()
        # The rest are forwarded copies, from another device of the sender that holds none of
        # the files: the service already has them and checks the sender may refer to them, so
        # nothing is declared again (the first device would re-declare each level per copy).
        again = await connect(service, PICTURES, root / f"{PICTURES}-2")
        peers.append(again)
        await send_all(lambda i: again.mm.send_message(
            again.mm.create_forward_message(originals[i % len(originals)]), receiver=ME),
            messages - len(originals))
        await send_all(lambda i: writer.mm.send_message(
            writer.mm.create_text_message(f"{LINES[i % len(LINES)]} #{i}"), receiver=ME),
            messages)
        for i in range(5):
            await greeter.mm.send_message(greeter.mm.create_text_message(f"hello {i}"),
                                          receiver=ME)

        def arrived(sender: str) -> int:
            return sum(1 for m in me.recorder.messages if m.sender == sender)

        await wait_until(lambda: arrived(PICTURES) >= messages and arrived(WRITER) >= messages
                         and arrived(GREETER) >= 5, timeout=120, what="every message to arrive")
        for conv_id in (*CHATS.values(), SMALL_CHAT):
            await me.mm.mark_conversation_as_read(conv_id)
        thumbs = 0
        for msg in originals:
            elem = msg.image_elem
            thumb = elem.level(ImageKind.THUMB) if elem is not None else None
            assert thumb is not None
            await me.client.media.download(thumb.uuid, size=thumb.size)
            thumbs += 1
    finally:
        for peer in peers:
            await peer.close()
    print(f"cache built through the service in {time.perf_counter() - started:.1f} s: "
          f"{messages} image messages ({len(originals)} distinct pictures, {thumbs} thumbnails "
          f"in the media cache), {messages} text messages", flush=True)
    return root / "me"


# --- 2./3. in the GUI process --------------------------------------------------------------


async def until(condition: Callable[[], bool], signals: list[Any], timeout: float = 60.0,
                what: str = "condition") -> None:
    """Return once `condition()` holds, checked again whenever one of `signals` fires (and in
    the loop turn after, so a slot that runs on after the signal has finished first)."""
    poke = asyncio.Event()

    def wake(*_args: object) -> None:
        poke.set()

    for signal in signals:
        signal.connect(wake)
    deadline = time.monotonic() + timeout
    try:
        while True:
            poke.clear()
            if condition():
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"timed out waiting for {what}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(poke.wait(), left)
    finally:
        for signal in signals:
            signal.disconnect(wake)


class Screen:
    """What the user sees of the open chat, read from the real widgets."""

    def __init__(self, window: Any) -> None:
        from app.ui.models.timeline import Role

        self.window = window
        self.chat = window.chat
        self.model = window.chat.model
        self.timeline = window.chat.timeline
        self.loader = window.chat.media.kit.loader
        self.bar = self.timeline.verticalScrollBar()
        self.role = Role.MESSAGE

    def visible_messages(self) -> list[Any]:
        from PySide6.QtCore import QPoint

        viewport = self.timeline.viewport()
        x = viewport.width() // 2
        first = self.timeline.indexAt(QPoint(x, 0))
        last = self.timeline.indexAt(QPoint(x, viewport.height() - 1))
        top = first.row() if first.isValid() else 0
        bottom = last.row() if last.isValid() else self.model.rowCount() - 1
        found = [self.model.index(row).data(self.role) for row in range(top, bottom + 1)]
        return [m for m in found if m is not None]

    def undecoded(self) -> int:
        """Visible image bubbles with no decoded level of their picture yet."""
        from app.ui.media.levels import levels_of

        missing = 0
        for msg in self.visible_messages():
            elem = msg.image_elem
            if elem is not None and not any(self.loader.best(level.want.uuid) is not None
                                            for level in levels_of(elem)):
                missing += 1
        return missing

    def shown(self, conv_id: str) -> bool:
        """The chat's newest page is in, scrolled to the bottom, every visible picture decoded."""
        model = self.model
        return (model.conversation_id == conv_id and not model.loading
                and model.rowCount() > 0 and self.bar.value() == self.bar.maximum()
                and self.undecoded() == 0)

    def signals(self) -> list[Any]:
        return [self.model.modelReset, self.model.rowsInserted, self.bar.valueChanged,
                self.bar.rangeChanged, self.loader.ready]

    async def open(self, conv_id: str) -> float:
        """Milliseconds from asking for the chat to its first screen painted, thumbnails in."""
        started = time.perf_counter()
        self.window.open_conversation(conv_id)
        await until(lambda: self.shown(conv_id), self.signals(), what=f"{conv_id} shown")
        self.timeline.viewport().repaint()
        return (time.perf_counter() - started) * 1000

    async def scroll_to_top(self, step: int) -> tuple[list[float], int]:
        """Frame times (ms) of scrolling up `step` pixels at a time until the oldest message:
        each frame is the scroll, a synchronous repaint, and the loop turn that follows (where
        older pages are inserted and decoded pictures delivered), all on the GUI thread. Also
        how many frames were painted with a placeholder where a picture belongs."""
        model, bar, viewport = self.model, self.bar, self.timeline.viewport()
        frames: list[float] = []
        placeholders = 0
        while True:
            if bar.value() == 0:
                if not model.has_older or model.gap_above:
                    break
                await until(lambda: bar.value() > 0 or not model.has_older or model.gap_above,
                            self.signals(), what="an older page")
                continue
            started = time.perf_counter()
            bar.setValue(max(0, bar.value() - step))
            viewport.repaint()
            painted = time.perf_counter()
            placeholders += self.undecoded() > 0  # what that repaint had to show: not timed
            resumed = time.perf_counter()
            await asyncio.sleep(0)
            frames.append((painted - started + time.perf_counter() - resumed) * 1000)
        return frames, placeholders


async def gui_figures(data_dir: Path, chat: str, opens: int, step: int) -> dict[str, Any]:
    from app.sdk import IMClient, SDKConfig
    from app.ui import collector
    from app.ui.bridge import SdkBridge
    from app.ui.settings import AppSettings
    from app.ui.views.main_window import MainWindow
    from tests.support.service import SDK_APP_ID

    client = IMClient()
    client.init(SDK_APP_ID, UNREACHABLE, SDKConfig(data_dir=data_dir, reconnect_min_s=30,
                                                   reconnect_max_s=60))
    await client.init_storage(ME)
    window = MainWindow(client, SdkBridge(client), AppSettings(data_dir / "settings.ini"))
    window.resize(1100, 720)
    window.show()
    await window.start()
    collector.settle()  # as the app's session does once its window has filled
    screen = Screen(window)
    conv_id = CHATS[chat]
    try:
        await screen.open(SMALL_CHAT)  # fonts, delegate, first layout: not the figure
        times = []
        images = 0
        for _ in range(opens):
            times.append(await screen.open(conv_id))
            images = sum(1 for m in screen.visible_messages() if m.image_elem is not None)
            await screen.open(SMALL_CHAT)
        await screen.open(conv_id)
        frames, placeholders = await screen.scroll_to_top(step)
        rows = screen.model.rowCount()
        reached_top = not screen.model.has_older
    finally:
        await window.shutdown()
        await client.uninit()
    return {"first": times[0], "warm": times[1:], "images": images, "frames": frames,
            "placeholders": placeholders, "rows": rows, "top": reached_top}


def run_gui(data_dir: Path, chat: str, opens: int, step: int) -> dict[str, Any]:
    """The GUI figures of one chat in a fresh process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "tests.bench.media_figures", "--gui",
                           str(data_dir), chat, "--opens", str(opens), "--step", str(step)],
                          capture_output=True, text=True, env=env, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"the GUI process for {chat} failed ({done.returncode}):\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT):])
    return result


def gui_child(data_dir: Path, chat: str, opens: int, step: int) -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.ui import collector
    from app.ui.theme import apply_theme

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    collector.tune()
    app = QApplication(sys.argv[:1])
    apply_theme(app, "light")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:  # closing it stops its executor's threads before Qt is torn down
        result = loop.run_until_complete(gui_figures(data_dir, chat, opens, step))
    print(RESULT + json.dumps(result), flush=True)


def report_gui(images: dict[str, Any], text: dict[str, Any], messages: int) -> None:
    first, ceiling = images["first"], text["first"]
    print(f"open a cached chat of {messages} image messages, first screen with its "
          f"{images['images']} visible thumbnails decoded and painted: {first:.1f} ms vs "
          f"{ceiling:.1f} ms for {messages} text messages (ratio {first / ceiling:.2f})",
          flush=True)
    if images["warm"] and text["warm"]:
        warm, warm_text = statistics.median(images["warm"]), statistics.median(text["warm"])
        print(f"  reopened (thumbnails already decoded), p50 of {len(images['warm'])}: "
              f"{warm:.1f} ms vs {warm_text:.1f} ms (ratio {warm / warm_text:.2f})", flush=True)
    print("scroll bottom → top, GUI-thread frame times (ms; scroll + repaint + the loop turn "
          "after), images vs text:", flush=True)
    for label, data in (("images", images), ("text", text)):
        frames = data["frames"]
        over = sum(1 for f in frames if f > 16)
        print(f"  {label:<6} {len(frames):>5} frames over {data['rows']} rows"
              f"{'' if data['top'] else ' (top not reached)'}: p50 {pct(frames, .5):.2f}, "
              f"p95 {pct(frames, .95):.2f}, max {max(frames, default=0):.1f}, "
              f"{over} over 16 ms", flush=True)
    print(f"  image frames painted with a placeholder where a picture belongs (decoding "
          f"still under way): {images['placeholders']} of {len(images['frames'])}", flush=True)
    img, txt = images["frames"], text["frames"]
    print(f"  ratio images/text: p50 {pct(img, .5) / pct(txt, .5):.2f}, "
          f"p95 {pct(img, .95) / pct(txt, .95):.2f}, "
          f"max {max(img) / max(txt):.2f}", flush=True)


# --- the run -------------------------------------------------------------------------------


async def service_figures(root: Path, args: argparse.Namespace) -> Path:
    # Sends unthrottled: the per-account send rate is a policy, not a cost.
    service = Service(root / "svc", extra_args=["--log-level", "warning",
                                                "--rate-send", "0"]).start()
    try:
        await throughput(service, root, int(args.mb * MB), args.runs)
        return await build_cache(service, root, args.messages, args.distinct)
    finally:
        service.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=50, help="size of the transferred file")
    parser.add_argument("--runs", type=int, default=3, help="transfers of each kind")
    parser.add_argument("--messages", type=int, default=1000, help="messages in each chat")
    parser.add_argument("--distinct", type=int, default=60, help="distinct pictures sent")
    parser.add_argument("--opens", type=int, default=5, help="opens of each chat")
    parser.add_argument("--step", type=int, default=120, help="pixels scrolled per frame")
    parser.add_argument("--gui", nargs=2, metavar=("DATA_DIR", "CHAT"), help=argparse.SUPPRESS)
    parser.add_argument("--plain-server", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.opens < 1 or args.messages < 1 or args.distinct < 1 or args.runs < 1:
        parser.error("--opens, --messages, --distinct and --runs are at least 1")
    if args.plain_server:
        plain_server(Path(args.plain_server))
        return
    if args.gui:
        gui_child(Path(args.gui[0]), args.gui[1], args.opens, args.step)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = asyncio.run(service_figures(Path(tmp), args))
        images = run_gui(data_dir, "images", args.opens, args.step)
        text = run_gui(data_dir, "text", args.opens, args.step)
        report_gui(images, text, args.messages)


if __name__ == "__main__":
    main()
