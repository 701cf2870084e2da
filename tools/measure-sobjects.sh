#!/usr/bin/env bash
# Measures how long generated sObject bindings take to build: the fixture dumps (8 objects)
# and N synthetic objects (default 200), each in a scratch crate that depends on the
# workspace's runtime, built twice (cold for the bindings crate only, deps prebuilt).
# Usage: tools/measure-sobjects.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-200}"
work="$root/target/measure-sobjects"
mkdir -p "$work"
export CARGO_TARGET_DIR="$work/target"
export CARGO_INCREMENTAL=0 # a from-scratch build of the bindings crate, not an incremental one

scratch() { # name source
  local dir="$work/$1"
  mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
sforce = { path = "$root/runtime" }
[workspace]
TOML
  { echo '#![allow(missing_docs)]'; cat "$2"; } > "$dir/src/lib.rs"
  echo "$dir"
}

cd "$root"
cargo run -q -p sforce-codegen --example synthetic_sobjects -- "$n" "$work/synthetic.rs"
cargo sforce generate --describe fixtures/describe --out "$work/fixtures.rs" >/dev/null
for name in fixtures synthetic; do
  dir="$(scratch "sobjects_$name" "$work/$name.rs")"
  (cd "$dir" && cargo build -q 2>/dev/null || true) # dependencies, once
  touch "$dir/src/lib.rs"
  lines=$(wc -l < "$dir/src/lib.rs")
  start=$(date +%s.%N)
  (cd "$dir" && cargo build -q)
  end=$(date +%s.%N)
  printf '%-10s %7d lines  debug build %6.1f s\n' "$name" "$lines" "$(echo "$end - $start" | bc)"
done
