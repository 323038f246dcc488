#!/usr/bin/env bash
# Quick start, command 1: install what is missing, then run the demo pipeline on a local Kafka it starts itself.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
printf '\n==> demo\n'
exec node examples/dist/demo.js
