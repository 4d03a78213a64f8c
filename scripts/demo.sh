#!/usr/bin/env bash
# Set up (the core, the web app and the shipped weights; no local LLM), then run the main job: answer example causal
# questions end to end and print the traces.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh app
.venv/bin/fmcgm demo "$@"
