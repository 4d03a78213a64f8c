#!/usr/bin/env bash
# Set up, then run the main job: answer example causal questions end to end and print the traces.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/fmcgm demo "$@"
