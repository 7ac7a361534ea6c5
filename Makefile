# `make run` and `make test` work on a fresh machine with nothing but Python >= 3.11 (with venv),
# make and git: first the system packages Qt and the tests need (tools/system_packages.sh, which
# does nothing when they are there), then the virtual environment every target bootstraps.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run demo server test lint bench clean system-packages fresh-check package \
	package-check
# The system packages are checked before anything is built, whatever -j says.
.NOTPARALLEL:

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) resources/translations/build.py --release-only
	@touch $(STAMP)

system-packages:
	@bash tools/system_packages.sh

run: system-packages $(STAMP)
	$(PY) -m app

demo: system-packages $(STAMP)
	$(PY) -m app --demo

server: $(STAMP)
	$(PY) -m app.server

lint: $(STAMP)
	$(PY) -m ruff check app tests

test: system-packages $(STAMP)
	$(PY) -m ruff check app tests
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: system-packages $(STAMP)
	$(PY) tests/bench/run_all.py

fresh-check:
	bash tests/fresh_machine/run.sh

# The installer for this OS into dist/ (packaging/build.py): Linux .deb and portable tarball,
# Windows Tidings-Setup-<version>.exe (needs Inno Setup), macOS .dmg.
PACKAGE_STAMP := $(VENV)/.package-installed
$(PACKAGE_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[package]'
	@touch $(PACKAGE_STAMP)

package: system-packages $(PACKAGE_STAMP)
	$(PY) packaging/build.py $(PACKAGE_ARGS)

# Build the .deb, install it with apt, run /usr/bin/tidings --demo under Xvfb, quit, remove it
# (tools/package_check.sh; as root). Also in CI, after `make test`.
package-check: system-packages $(PACKAGE_STAMP)
	bash tools/package_check.sh

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache
