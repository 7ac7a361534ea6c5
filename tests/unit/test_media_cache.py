"""The media cache on a real folder: naming by content, dedupe, recency, eviction, atomicity."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.protocol import ErrorCode, IMError
from app.sdk.media import cache as cache_module
from app.sdk.media.cache import STALE_AFTER_S, MediaCache


@pytest.fixture
def cache(tmp_path: Path) -> MediaCache:
    return MediaCache(tmp_path / "media", limit_bytes=250)


def source(tmp_path: Path, data: bytes, name: str = "") -> Path:
    path = tmp_path / (name or hashlib.md5(data).hexdigest())
    path.write_bytes(data)
    return path


def items(cache: MediaCache) -> set[str]:
    return {p.name for p in cache.root.glob("??/*")}


def age(path: Path, seconds_ago: float) -> None:
    when = time.time() - seconds_ago
    os.utime(path, (when, when))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_put_names_the_item_by_its_sha256_and_keeps_it_private(cache, tmp_path):
    data = b"hello media" * 100
    uuid, size = cache.put_file(source(tmp_path, data))
    assert (uuid, size) == (hashlib.sha256(data).hexdigest(), len(data))
    path = cache.get(uuid)
    assert path == cache.path(uuid) == cache.root / uuid[:2] / uuid
    assert path.read_bytes() == data
    assert mode(path) == 0o600
    assert mode(cache.root) == mode(path.parent) == 0o700
    assert cache.sha256_of(path) == uuid
    assert cache.total_bytes() == len(data)
    assert not any((cache.root / "tmp").iterdir())


def test_the_same_content_is_held_once(cache, tmp_path):
    first = cache.put_file(source(tmp_path, b"same bytes", "a.txt"))
    assert cache.put_file(source(tmp_path, b"same bytes", "b.txt")) == first
    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(lambda _: cache.put_file(tmp_path / "a.txt"), range(8))) == {first}
    assert items(cache) == {first[0]}
    assert not any((cache.root / "tmp").iterdir())


def test_adopt_moves_a_generated_file_in(cache, tmp_path):
    made = source(tmp_path, b"a thumbnail")
    os.chmod(made, 0o644)
    uuid, size = cache.adopt(made)
    assert not made.exists()
    assert cache.get(uuid).read_bytes() == b"a thumbnail" and size == 11
    assert mode(cache.path(uuid)) == 0o600
    again = source(tmp_path, b"a thumbnail", "again")
    assert cache.adopt(again) == (uuid, size)
    assert not again.exists() and items(cache) == {uuid}


def test_adopt_copies_across_file_systems(cache, tmp_path, monkeypatch):
    real_replace = os.replace

    def other_device(src, dst):
        if Path(src).parent != cache.root / "tmp":
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(src, dst)

    monkeypatch.setattr(cache_module.os, "replace", other_device)
    made = source(tmp_path, b"made elsewhere")
    uuid, _ = cache.adopt(made)
    assert not made.exists()
    assert cache.get(uuid).read_bytes() == b"made elsewhere"


def test_an_item_appears_only_complete(cache, tmp_path, monkeypatch):
    data = os.urandom(3 * 1024 * 1024 + 5)  # several copy chunks
    uuid = hashlib.sha256(data).hexdigest()
    seen = []
    real_replace = os.replace

    def watching(src, dst):
        seen.append((Path(dst).exists(), Path(src).read_bytes() == data))
        real_replace(src, dst)

    monkeypatch.setattr(cache_module.os, "replace", watching)
    cache.put_file(source(tmp_path, data))
    assert seen == [(False, True)]
    assert cache.get(uuid).read_bytes() == data


def test_a_failed_copy_leaves_nothing_behind(cache, tmp_path, monkeypatch):
    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache_module.os, "fsync", disk_full)
    with pytest.raises(OSError):
        cache.put_file(source(tmp_path, b"will not fit"))
    assert items(cache) == set()
    assert not any((cache.root / "tmp").iterdir())


def test_eviction_removes_the_least_recently_used_and_spares_kept_items(cache, tmp_path):
    uuids = [cache.put_file(source(tmp_path, bytes([i]) * 100))[0] for i in range(4)]
    for i, uuid in enumerate(uuids):
        age(cache.path(uuid), 1000 - i * 100)  # 0 oldest … 3 newest
    assert cache.get(uuids[1]) is not None  # used now: newest of all
    assert cache.total_bytes() == 400
    freed = cache.evict(keep={uuids[0]})  # 0 still has to be uploaded
    assert freed == 200
    assert items(cache) == {uuids[0], uuids[1]}
    assert cache.total_bytes() == 200
    assert cache.evict() == 0  # under the limit: nothing to do


def test_kept_items_may_leave_the_cache_over_its_limit(cache, tmp_path):
    uuids = {cache.put_file(source(tmp_path, bytes([i]) * 200))[0] for i in range(2)}
    assert cache.evict(keep=uuids) == 0
    assert items(cache) == uuids


def test_partials_are_separate_and_abandoned_ones_are_swept(cache, tmp_path):
    uuid = "ab" * 32
    partial = cache.partial(uuid)
    assert partial == cache.root / "partial" / uuid and partial.parent.is_dir()
    partial.write_bytes(b"half of it")
    assert cache.get(uuid) is None and cache.total_bytes() == 0
    fresh = cache.partial("cd" * 32)
    fresh.write_bytes(b"still coming")
    scratch = cache.root / "tmp" / "scratch-from-a-crash"
    scratch.mkdir(parents=True)
    (scratch / "large.jpg").write_bytes(b"x" * 30)
    for old in (partial, scratch / "large.jpg", scratch):
        age(old, STALE_AFTER_S + 60)
    assert cache.evict() == len(b"half of it") + 30
    assert not partial.exists() and not scratch.exists()
    assert fresh.read_bytes() == b"still coming"


def test_an_absent_item_and_an_unusable_name(cache, tmp_path):
    assert cache.get("0" * 64) is None
    assert not cache.root.exists()  # asking creates nothing
    assert cache.total_bytes() == 0 and cache.evict() == 0
    for bad in ("../../etc/passwd", "a/b/c", "", "x", "..", "ab\x00cd"):
        with pytest.raises(IMError) as refused:
            cache.path(bad)
        assert refused.value.code == ErrorCode.SDK_INVALID_PARAMETERS
    with pytest.raises(IMError) as refused:
        cache.put_file(tmp_path / "missing")
    assert refused.value.code == ErrorCode.SDK_FILE_UNREADABLE
