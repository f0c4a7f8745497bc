# WallTrack — every target works on a fresh machine: uv is installed with pip when missing,
# the locked environment is synced, and uv never downloads a Python of its own.

SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
# `python3 -m uv` finds uv in the same interpreter pip installed it into, PATH or not.
UV := python3 -m uv
PYTEST_ARGS ?=

.PHONY: help uv sync demo run test lint bench system-deps clean

help:
	@echo "make demo   - paper-trade the simulated market end to end (Ctrl-C to stop)"
	@echo "make test   - run the test suite (real PostgreSQL and graph servers, started by the tests)"
	@echo "make lint   - ruff (lint + format check), mypy --strict, import-linter layer contracts"
	@echo "make bench  - run every benchmark and print its JSON figures"

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

sync: uv
	@$(UV) sync --frozen

demo: sync
	$(UV) run walltrack demo

run: sync
	$(UV) run walltrack run

test: sync
	$(UV) run pytest $(PYTEST_ARGS)

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy
	$(UV) run lint-imports

bench: sync
	@for name in $$($(UV) run python -c "from walltrack.bench import available_benches as a; print(' '.join(a()))"); do \
		$(UV) run walltrack bench $$name --json || exit 1; \
	done

# Debian packages the tests use when present (CI installs them; tests fall back otherwise).
system-deps:
	@if command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql chromium >/dev/null; \
	fi

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache
