# Every target sets itself up: a fresh machine needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# With BOT_TOKEN: the bot on Telegram (it creates or upgrades its database first). Without:
# the local sandbox and its web chat, announced in one line (so the command is not echoed).
# A failure to start is samverkan's one line: make's own "*** Error 1" line would make it two,
# so the status stays with `samverkan run` (what services and scripts call), not with make.
run: $(STAMP)
	@$(BIN)/samverkan run || true

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check bot handlers storage tests bench
	$(BIN)/ruff format --check bot handlers storage tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q -n 4

bench: $(STAMP)
	$(BIN)/python -m bench.updates

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
