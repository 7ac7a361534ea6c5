# Every target bootstraps its own virtual environment, so `make run` and `make test` work on a
# fresh machine with nothing but Python >= 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run demo server test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) resources/translations/build.py --release-only
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m app

demo: $(STAMP)
	$(PY) -m app --demo

server: $(STAMP)
	$(PY) -m app.server

lint: $(STAMP)
	$(PY) -m ruff check app tests

test: $(STAMP)
	$(PY) -m ruff check app tests
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) tests/bench/run_all.py

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache
