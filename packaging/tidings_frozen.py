"""The frozen app's entry point (PyInstaller, packaging/tidings.spec).

It is `python -m app` for the bundle, plus what only a frozen build needs:

- The app starts its embedded service and the demo as `sys.executable -m app.server …` and
  `-m app.demo …` (app/ui/desktop/embedded.py). In a bundle `sys.executable` is this program, so
  `-m <module>` runs that module of the bundle, as the interpreter would; only modules of the
  `app` package are accepted.
- On Windows the process takes the AppUserModelID the installer's shortcuts carry and
  desktop-notifier registers its toasts under ("Tidings"), so the taskbar groups the window with
  its pinned shortcut and toasts show the app's name and icon.
"""

from __future__ import annotations

import runpy
import sys

APP_USER_MODEL_ID = "Tidings"


def _run_module(argv: list[str]) -> int:
    module = argv[2]
    if module != "app" and not module.startswith("app."):
        print(f"tidings: -m {module}: only the app's own modules run here", file=sys.stderr)
        return 2
    sys.argv = [sys.executable, *argv[3:]]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def main() -> int:
    argv = list(sys.argv)
    if len(argv) >= 3 and argv[1] == "-m":
        return _run_module(argv)
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_USER_MODEL_ID)
    from app.__main__ import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
