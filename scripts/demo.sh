#!/usr/bin/env bash
# Quick start, command 1: install what is missing, then run the fraud detection demo on a local Kafka it starts
# itself. Options go to the demo: scripts/demo.sh --instances 2 runs the application twice; --help lists them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
printf '\n==> demo\n'
exec node examples/fraud-detection/dist/demo.js "$@"
