# Pika! — every command installs what it needs on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
UV := $(ROOT)/.tools/uv/bin/uv
VENV := $(ROOT)/.venv
BUN_VERSION := 1.4.4
export PATH := $(ROOT)/.tools/node_modules/.bin:$(VENV)/bin:$(PATH)
# Reflex: use the project-local bun, keep its files in the project, never phone home.
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_DIR := $(ROOT)/.reflex
export REFLEX_TELEMETRY_ENABLED := 0
export REFLEX_CHECK_LATEST_VERSION := 0
export BUN_INSTALL_CACHE_DIR := $(ROOT)/.cache/bun
export UV_CACHE_DIR ?= $(ROOT)/.cache/uv

.PHONY: help agent agent-binary run dev test test-fast test-browser setup system-deps lint bench clean

help:
	@echo "make run    — start Pika! with a demo DJ and a live set at http://localhost:3000"
	@echo "make test   — run the whole test suite (installs PostgreSQL, Redis, Chromium if missing)"
	@echo "make dev    — hot-reloading development server (frontend :3000, backend :8000)"
	@echo "make agent  — the DJ's terminal agent (pika-agent); make agent-binary builds a one-file binary"
	@echo "make bench  — fan-out benchmark (see docs/performance.md)"

$(UV):
	python3 -m venv $(ROOT)/.tools/uv
	$(ROOT)/.tools/uv/bin/pip install --quiet uv==0.13.9

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-extras --quiet
	@touch $@

$(ROOT)/.tools/node_modules/.bin/bun:
	npm install --prefix $(ROOT)/.tools --no-audit --no-fund --silent bun@$(BUN_VERSION)

setup: $(VENV)/.synced $(ROOT)/.tools/node_modules/.bin/bun

system-deps:
	@bash .ci/system-deps.sh

run: setup
	DEMO=$${DEMO:-1} reflex run --env prod

dev: setup
	DEMO=$${DEMO:-1} API_URL=http://localhost:8000 reflex run

test: setup system-deps
	bash .ci/test.sh

test-fast: setup
	pytest -q -m "not slow" tests --ignore=tests/browser --ignore=tests/bench

test-browser: setup system-deps
	pytest -q tests/browser

agent: setup
	pika-agent $(ARGS)

agent-binary: setup
	python agent/build.py

lint: setup
	ruff check pika agent tests bench

bench: setup system-deps
	python -m bench.fanout --dancers 100,300,1000,2000 --plays 10 --manager redis

clean:
	rm -rf .web .web-* .states .states-* data artifacts
