#!/usr/bin/env bash
# Quick start, command 2: install what is missing, then lint, type-check and run every test
# (unit tests, and integration tests against a real Kafka that the run starts and stops itself).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

printf '\n==> lint and format check (biome)\n'
npx biome check .

printf '\n==> type-check tests (tsc -p tsconfig.test.json)\n'
npx tsc -p tsconfig.test.json

# Broker and schema-registry JVMs (kafka-local's Apicurio Registry).
jvms() { pgrep -f 'kafka\.Kafka |apicurio-registry' | sort || true; }
brokers_before=$(jvms)
report=$(mktemp)
printf '\n==> tests (vitest: unit, unit on RocksDB stores, integration)\n'
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?

# No broker JVM started by this run may outlive it.
sleep 1
leaked=$(comm -13 <(echo "$brokers_before") <(jvms) | grep . || true)
if [ -n "$leaked" ]; then
  echo "FAIL: broker or schema-registry JVM(s) left running after the tests: $leaked" >&2
  kill -9 $leaked || true
  status=1
fi

node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" || true
rm -f "$report"
exit $status
