#!/usr/bin/env bash
# Create .venv (if needed) and install FM-CGM with its test tools, pinned by constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -c constraints.txt -e ".[dev,app]" 2>&1 | grep -v -i "^warning: location" || true
.venv/bin/python -c "import fmcgm, agent, tools" 
