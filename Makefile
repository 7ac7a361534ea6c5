# `make run` and `make test` work on a fresh machine with nothing but Python >= 3.11 (with venv),
# make and git: first the system packages Qt and the tests need (tools/system_packages.sh, which
# does nothing when they are there), then the virtual environment every target bootstraps.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run demo server test lint bench clean system-packages fresh-check
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

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache
