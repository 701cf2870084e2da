#!/usr/bin/env bash
# Drives the local org with zeep, a Python SOAP client generated from the partner WSDL
# (localorg/tests/zeep_client.py): another SOAP stack than ours, against the binary as a
# user starts it. Installs zeep with pip when missing.
#
#   tools/zeep_check.sh            (from .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -c "import zeep" 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check zeep 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages zeep

# The workspace's features, as the README's test command builds them: after the tests
# this is already built.
cargo build --quiet --locked --workspace --all-features --bin sforce-localorg
port=${ZEEP_PORT:-18089}
log=$(mktemp)
target/debug/sforce-localorg --port "$port" --username zeep@localorg.test >"$log" 2>&1 &
org=$!
trap 'kill $org 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do
  grep -q "listening on" "$log" && break
  sleep 0.1
done
cat "$log"
password=$(sed -n 's/^  password: *//p' "$log")
token=$(sed -n 's/^  security token: *//p' "$log")
python3 localorg/tests/zeep_client.py fixtures/wsdl/partner-v66.0.wsdl \
  "http://127.0.0.1:$port" zeep@localorg.test "$password$token"
