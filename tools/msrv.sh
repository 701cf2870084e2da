#!/usr/bin/env bash
# Checks that the workspace builds with its declared minimum Rust version.
#
#   tools/msrv.sh            (or, from .ci/run: `tools/msrv.sh`)
#
# Reads `rust-version` from [workspace.package] in Cargo.toml, installs that toolchain
# with rustup when missing (minimal profile, no self-update) and runs
# `cargo +<version> check --workspace --lib --bins --all-features --locked`: what users
# build (libraries and binaries), not our tests, benches and examples. Cargo.lock is
# what is checked: a dependency whose release needs a newer compiler fails here, and the
# fix is either raising `rust-version` or keeping the older release in the lock.
#
# Environment:
#   MSRV_NICE   niceness of the check (default 5: the machine is shared)
set -euo pipefail
cd "$(dirname "$0")/.."

msrv=$(sed -n '/^\[workspace.package\]/,/^\[/s/^rust-version *= *"\([0-9.]*\)".*/\1/p' Cargo.toml)
if [[ -z $msrv ]]; then
  echo "tools/msrv.sh: no rust-version in [workspace.package] of Cargo.toml" >&2
  exit 2
fi

if ! rustup run "$msrv" rustc --version >/dev/null 2>&1; then
  rustup toolchain install "$msrv" --profile minimal --no-self-update
fi
echo "rust-version $msrv: $(rustup run "$msrv" rustc --version)"
nice -n "${MSRV_NICE:-5}" cargo "+$msrv" check --workspace --lib --bins --all-features --locked
