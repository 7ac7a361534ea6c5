"""`make package`: the installer for the OS this runs on, into dist/.

    python packaging/build.py [--skip-freeze] [--tarball-only]

1. compiles the translations (resources/translations/build.py --release-only),
2. renders the icons into build/icons (packaging/icons.py),
3. freezes the app with PyInstaller (packaging/tidings.spec) into dist/pyinstaller/,
4. packs it for this OS:
   - Linux: dist/tidings_<version>_<arch>.deb (installs /opt/tidings, /usr/bin/tidings, the
     desktop entry, hicolor icons, AppStream metainfo) and the portable
     dist/tidings-<version>-linux-<machine>.tar.gz;
   - Windows: dist/Tidings-Setup-<version>.exe with Inno Setup's ISCC (packaging/windows);
   - macOS: dist/Tidings-<version>.dmg (packaging/macos/build_dmg.sh), signed and notarized when
     the credentials' environment variables are set.

Prints one line per artefact: `package: <path> <bytes>`.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
FROZEN = DIST / "pyinstaller"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
DESKTOP_ENTRY = ROOT / "resources" / "tidings.desktop"
APPSTREAM_ID = "app.tidings.Tidings"
DEB_PACKAGES = PACKAGING / "linux" / "debian-packages.txt"
RECOMMENDED = ("fonts-",)
"""Of debian-packages.txt, what the .deb recommends rather than depends on: the app runs
without the Noto fonts, with tofu for Chinese and monochrome emoji."""
TEST_TOOLS = ("appstream", "dbus-daemon")
"""Of debian-packages.txt, what only the tests use: the installed app needs neither."""
ALWAYS_DEPENDS = ("libstdc++6", "libgcc-s1", "zlib1g", "libexpat1")
"""Left bundled by no frozen build (packaging/tidings.spec leaves them to the system)."""


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, env=env)


def announce(path: Path) -> Path:
    print(f"package: {path.relative_to(ROOT)} {path.stat().st_size}", flush=True)
    return path


def prepare() -> None:
    run(sys.executable, "resources/translations/build.py", "--release-only")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    run(sys.executable, PACKAGING / "icons.py", BUILD / "icons", env=env)


def freeze() -> Path:
    shutil.rmtree(FROZEN, ignore_errors=True)
    run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--workpath", BUILD / "pyinstaller", "--distpath", FROZEN, PACKAGING / "tidings.spec")
    return FROZEN / ("Tidings.app" if sys.platform == "darwin" else "Tidings")


# --- Linux ---------------------------------------------------------------------------------------

def deb_dependencies() -> tuple[list[str], list[str]]:
    depends, recommends = [], []
    for raw in DEB_PACKAGES.read_text().splitlines():
        need = raw.split("#", 1)[0].strip()
        if not need or need in TEST_TOOLS:
            continue
        (recommends if need.startswith(RECOMMENDED) else depends).append(need)
    return [*depends, *ALWAYS_DEPENDS], recommends


def glibc_floor() -> str:
    """The C library the build machine has: the bundle's binaries need at least that one."""
    version = platform.libc_ver()[1] or "2.31"
    return f"libc6 (>= {version})"


def deb_arch() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()


def stage_linux(bundle: Path, root: Path) -> None:
    """The file system the .deb installs, under `root`."""
    shutil.rmtree(root, ignore_errors=True)
    opt = root / "opt" / "tidings"
    shutil.copytree(bundle, opt, symlinks=True)
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    shutil.copyfile(PACKAGING / "linux" / "tidings-launcher.sh", bin_dir / "tidings")
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copyfile(DESKTOP_ENTRY, share / "applications" / "tidings.desktop")
    shutil.copytree(BUILD / "icons" / "hicolor", share / "icons" / "hicolor")
    (share / "metainfo").mkdir(parents=True)
    metainfo = (PACKAGING / "linux" / f"{APPSTREAM_ID}.metainfo.xml").read_text()
    metainfo = metainfo.replace("@VERSION@", VERSION).replace(
        "@DATE@", datetime.date.today().isoformat())
    (share / "metainfo" / f"{APPSTREAM_ID}.metainfo.xml").write_text(metainfo)
    doc = share / "doc" / "tidings"
    doc.mkdir(parents=True)
    shutil.copyfile(ROOT / "README.md", doc / "README.md")
    for path in root.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            executable = path.stat().st_mode & 0o111 or path == bin_dir / "tidings"
            path.chmod(0o755 if executable else 0o644)


def installed_kib(root: Path) -> int:
    return sum(-(-p.lstat().st_size // 1024) for p in root.rglob("*") if not p.is_dir())


def build_deb(bundle: Path) -> Path:
    root = BUILD / "deb" / "root"
    stage_linux(bundle, root)
    depends, recommends = deb_dependencies()
    control = root / "DEBIAN"
    control.mkdir()
    arch = deb_arch()
    (control / "control").write_text(
        f"Package: tidings\n"
        f"Version: {VERSION}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: Tidings contributors <packaging@tidings.app>\n"
        f"Installed-Size: {installed_kib(root)}\n"
        f"Depends: {', '.join([glibc_floor(), *depends])}\n"
        f"Recommends: {', '.join(recommends)}\n"
        f"Section: net\n"
        f"Priority: optional\n"
        f"Homepage: https://tidings.app/\n"
        f"Description: desktop instant messenger\n"
        f" Tidings: one-to-one and group chats with photos, videos, voice messages and\n"
        f" files, contacts, desktop notifications and a tray icon, in English and\n"
        f" Simplified Chinese. The first start runs a demo on this computer.\n")
    sums = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()
                       and control not in p.parents):
        sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  "
                    f"{path.relative_to(root).as_posix()}\n")
    (control / "md5sums").write_text("".join(sums))
    (control / "md5sums").chmod(0o644)
    (control / "control").chmod(0o644)
    DIST.mkdir(exist_ok=True)
    deb = DIST / f"tidings_{VERSION}_{arch}.deb"
    deb.unlink(missing_ok=True)
    # xz makes the smallest download (84 MiB, where zstd at dpkg-deb's default level makes 112)
    # but takes ~2.5 min on two cores; make package-check, which throws the .deb away, asks for
    # zstd (seconds). Every dpkg that meets the .deb's glibc floor reads both.
    compression = os.environ.get("TIDINGS_DEB_COMPRESSION", "xz")
    run("dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", root, deb)
    return announce(deb)


def build_tarball(bundle: Path) -> Path:
    """The portable build: unpack anywhere and run tidings-<version>/tidings (needs the same
    system libraries as the .deb; the desktop entry and icons are inside to copy if wanted)."""
    top = f"tidings-{VERSION}"
    tarball = DIST / f"tidings-{VERSION}-linux-{platform.machine()}.tar.gz"
    DIST.mkdir(exist_ok=True)
    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=top)
        tar.add(DESKTOP_ENTRY, arcname=f"{top}/share/applications/tidings.desktop")
        tar.add(BUILD / "icons" / "hicolor", arcname=f"{top}/share/icons/hicolor")
    return announce(tarball)


# --- Windows and macOS ---------------------------------------------------------------------------

def build_windows(bundle: Path) -> Path:
    iscc = shutil.which("iscc") or shutil.which("ISCC") or \
        r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"
    run(iscc, f"/DAppVersion={VERSION}", f"/DSourceDir={bundle}",
        f"/DIconFile={BUILD / 'icons' / 'tidings.ico'}", f"/O{DIST}",
        PACKAGING / "windows" / "tidings.iss")
    return announce(DIST / f"Tidings-Setup-{VERSION}.exe")


def build_macos(bundle: Path) -> Path:
    dmg = DIST / f"Tidings-{VERSION}.dmg"
    run("bash", PACKAGING / "macos" / "build_dmg.sh", bundle, dmg, VERSION)
    return announce(dmg)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-freeze", action="store_true",
                        help="pack the bundle already in dist/pyinstaller")
    parser.add_argument("--deb-only", action="store_true",
                        help="Linux: the .deb without the portable tarball (make package-check)")
    args = parser.parse_args(argv)
    prepare()
    if args.skip_freeze:
        bundle = FROZEN / ("Tidings.app" if sys.platform == "darwin" else "Tidings")
    else:
        bundle = freeze()
    if sys.platform.startswith("linux"):
        build_deb(bundle)
        if not args.deb_only:
            build_tarball(bundle)
    elif sys.platform == "win32":
        build_windows(bundle)
    elif sys.platform == "darwin":
        build_macos(bundle)
    else:
        raise SystemExit(f"no installer for {sys.platform}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
