#!/usr/bin/env bash
# Set up (with the test tools and the local LLM of the tests), lint (ruff) and type-check (mypy, packages from
# pyproject.toml), then run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh dev,app,llm
./scripts/install_browser.sh
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
