#!/usr/bin/env bash
# Installs whatever is missing for Tributary on a Debian machine, and is safe to run again:
# Debian build libraries for the Kafka client's native module, Java + Maven for the broker,
# RocksDB's library and headers, npm dependencies (building librdkafka from source), our RocksDB binding,
# the TypeScript build, Kafka's jars and the schema registry (Apicurio Registry; 3.x on Java 21+ when the
# machine has one, else 2.6 on Java 17).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_PACKAGES=(libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev librocksdb-dev)
command -v java >/dev/null 2>&1 || APT_PACKAGES+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || APT_PACKAGES+=(maven)
command -v g++ >/dev/null 2>&1 || APT_PACKAGES+=(g++ make python3)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  echo "==> apt packages: present"
fi

command -v node >/dev/null 2>&1 || { echo "Node.js 20.19+ is required (https://nodejs.org or apt-get install nodejs npm)" >&2; exit 1; }

# Install only when the lockfile changed since the last install (it builds librdkafka, about a minute).
# `npm install` rather than `npm ci`: npm 11.19 writes lockfiles without other platforms' optional
# packages (biome's binaries) and then its own `npm ci` rejects them; `npm install` honours the lock.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.tributary-lock-hash
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  step "npm install (builds @confluentinc/kafka-javascript's bundled librdkafka; about a minute)"
  CKJS_LINKING=dynamic npm install --no-audit --no-fund
  sha256sum package-lock.json | cut -d' ' -f1 > "$stamp"
else
  echo "==> npm dependencies: up to date"
fi
if ! node -e "require('@confluentinc/kafka-javascript')" >/dev/null 2>&1; then
  step "building the Kafka client's native module"
  CKJS_LINKING=dynamic npm rebuild @confluentinc/kafka-javascript
  node -e "require('@confluentinc/kafka-javascript')"
fi

# Our synchronous RocksDB binding (packages/rocksdb/native): rebuilt when its sources change (a few seconds).
native_hash=$(cat packages/rocksdb/binding.gyp packages/rocksdb/native/*.cc | sha256sum | cut -d' ' -f1)
native_stamp=packages/rocksdb/build/.tributary-source-hash
if [ ! -f packages/rocksdb/build/Release/tributary_rocksdb.node ] || [ ! -f "$native_stamp" ] ||
  [ "$(cat "$native_stamp")" != "$native_hash" ]; then
  step "building the RocksDB binding (node-gyp, against Debian's librocksdb)"
  npm run build:native -w @tributary/rocksdb
  echo "$native_hash" > "$native_stamp"
else
  echo "==> RocksDB binding: up to date"
fi

step "TypeScript build (tsc -b)"
npx tsc -b

step "Kafka broker jars and the schema registry (Maven Central; cached in ~/.cache/tributary)"
node packages/kafka-local/bin/kafka-local.js jars --schema-registry
