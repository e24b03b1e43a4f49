# Bilex: `make run` serves the web chat, `make test` runs everything CI runs.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= $(or $(BILEX_PORT),8000)

.PHONY: install run build test lint unit clean system-deps bytecode
CHROMIUM := /usr/bin/chromium

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "python3.11 is required"; exit 2; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first and pinned: the CPU wheel on disk; anything else pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# The project's own modules compiled once, as pip compiles the installed packages: Python
# reads a .pyc even where PYTHONDONTWRITEBYTECODE keeps it from writing one, and compiling
# api/, bot/, corpus/ and indexer/ at every start took a quarter of a second of `bilex serve`'s.
bytecode:
	$(BIN)/python -m compileall -q api bot corpus indexer >/dev/null

build: install
	$(BIN)/bilex build

run: install bytecode
	$(BIN)/bilex build
	$(BIN)/bilex serve --host 127.0.0.1 --port $(PORT)

lint: install
	$(BIN)/ruff check corpus indexer bot api tests bench
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -m "not slow"

# What the tests need outside the venv: Debian's chromium for the browser tests (Playwright
# drives it through `executable_path`; `playwright install` is never used). As root it is
# installed here; otherwise one line says the command to run.
system-deps:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "the browser tests need Debian's chromium: run 'sudo apt-get install -y chromium', then 'make test'"; \
	    exit 2; \
	  fi; }
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is still missing after apt-get install chromium"; exit 2; }


# axe-core (npm registry) for the accessibility checks of the browser tests, in an ignored folder.
axe:
	test -f .axe/node_modules/axe-core/axe.min.js || npm install --prefix .axe --no-audit --no-fund axe-core@4.11.0

test: system-deps install lint axe
	$(BIN)/pytest

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
