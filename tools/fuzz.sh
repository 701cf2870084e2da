#!/usr/bin/env bash
# Fuzzes the readers with cargo-fuzz (libFuzzer), one target after another.
#
#   tools/fuzz.sh [seconds per target] [target…]      (default: 60 s, every target)
#
# Installs what is missing (a nightly toolchain, cargo-fuzz), seeds fuzz/corpus/<target>/
# from the repository's fixtures, builds the targets once and runs each for the given
# time. Prints the executions per target and exits 1 when a target found something (a
# panic, an abort, a timeout, running out of memory); the input is then in
# fuzz/artifacts/<target>/ and the fuzzer's output in fuzz/logs/<target>.log. Every
# finding becomes a file in fuzz/regressions/<target>/ (see fuzz/README.md).
#
# Environment:
#   FUZZ_SANITIZER   address (default), none, …: cargo fuzz's --sanitizer
#   FUZZ_TOOLCHAIN   the nightly to use (default: nightly)
#   FUZZ_TIMEOUT     seconds one input may take before it counts as a finding (default 10)
#   FUZZ_BUILD_ARGS  more arguments for `cargo fuzz build` and `run` (e.g. --codegen-units 16)
#   FUZZ_NICE        niceness of the fuzz processes (default 10: the machine is shared)
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS=(response_typed response_dynamic wsdl describe_xml describe_json soql decode)

seconds=${1:-60}
if [[ $# -gt 0 ]]; then shift; fi
if [[ $# -gt 0 ]]; then targets=("$@"); else targets=("${ALL_TARGETS[@]}"); fi
if ! [[ $seconds =~ ^[0-9]+$ ]] || [[ $seconds -eq 0 ]]; then
  echo "usage: tools/fuzz.sh [seconds per target] [target…]; targets: ${ALL_TARGETS[*]}" >&2
  exit 2
fi
for t in "${targets[@]}"; do
  if ! [[ " ${ALL_TARGETS[*]} " == *" $t "* ]]; then
    echo "unknown target '$t'; targets: ${ALL_TARGETS[*]}" >&2
    exit 2
  fi
done

sanitizer=${FUZZ_SANITIZER:-address}
toolchain=${FUZZ_TOOLCHAIN:-nightly}
timeout=${FUZZ_TIMEOUT:-10}
niceness=${FUZZ_NICE:-10}
read -r -a extra_args <<<"${FUZZ_BUILD_ARGS:-}"
build_args=(--sanitizer "$sanitizer" ${extra_args[@]+"${extra_args[@]}"})

# ---- tools

if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
  echo "== installing the $toolchain toolchain"
  rustup toolchain install "$toolchain" --profile minimal --no-self-update
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# ---- per-target settings: the longest input, the dictionary

max_len() {
  case $1 in
    describe_xml | describe_json) echo 262144 ;; # the REST fixtures reach 130 KB
    soql) echo 4096 ;;
    *) echo 65536 ;; # WSDLs above this are not seeds: too slow per execution
  esac
}

dict() {
  case $1 in
    response_typed | response_dynamic | decode | describe_xml) echo fuzz/dicts/xml.dict ;;
    wsdl) echo fuzz/dicts/wsdl.dict ;;
    describe_json) echo fuzz/dicts/json.dict ;;
    soql) echo fuzz/dicts/soql.dict ;;
  esac
}

# ---- seeds: fixtures, curated seeds, and every input that ever crashed

# Copies the given files into corpus directory $1, skipping those longer than $2 bytes.
seed_files() {
  local dir=$1 limit=$2
  shift 2
  local f
  for f in "$@"; do
    [[ -f $f && $(wc -c <"$f") -le $limit ]] || continue
    cp "$f" "$dir/seed-$(basename "$f")"
  done
}

# The SOQL statements written as string literals in the tests (the corpus of
# codegen/tests/soql.rs and the macro tests), one a line, Rust escapes undone but `\n`
# (the caller writes it as a line break).
soql_statements() {
  grep -ohE '"(SELECT|Select|select) ([^"\\]|\\.)*"' \
    codegen/tests/soql.rs macros/tests/*.rs macros/tests/ui/*.rs 2>/dev/null \
    | sed -e 's/^"//' -e 's/"$//' -e 's/\\\\/\x01/g' -e 's/\\"/"/g' -e 's/\x01/\\/g' \
    | sort -u
}

seed() {
  local t=$1 dir=fuzz/corpus/$1 limit
  limit=$(max_len "$t")
  mkdir -p "$dir"
  case $t in
    response_typed)
      # The first byte picks the response type: every envelope under every selector.
      local f i types
      types=$(grep -c '^    "\(partner\|apex\)::' fuzz/src/response_typed.rs)
      for f in fixtures/soap/*.xml fuzz/seeds/response_typed/*; do
        for ((i = 0; i < types; i++)); do
          { printf "\\$(printf '%03o' "$i")"; cat "$f"; } >"$dir/seed-$i-$(basename "$f")"
        done
      done
      ;;
    response_dynamic)
      seed_files "$dir" "$limit" fuzz/seeds/response_dynamic/* fixtures/soap/*.xml
      ;;
    wsdl)
      seed_files "$dir" "$limit" codegen/tests/fixtures/*.wsdl fixtures/wsdl/*.wsdl
      ;;
    describe_xml)
      seed_files "$dir" "$limit" codegen/tests/fixtures/describe/*.xml \
        fuzz/seeds/describe_xml/* fixtures/soap/soapforce-describe_*.xml
      ;;
    describe_json)
      seed_files "$dir" "$limit" fixtures/describe/*.json
      ;;
    soql)
      local n=0 statement
      while IFS= read -r statement; do
        n=$((n + 1))
        printf '%s' "${statement//\\n/$'\n'}" >"$dir/seed-$n.soql"
      done < <(soql_statements)
      ;;
    decode)
      seed_files "$dir" "$limit" fixtures/soap/*.xml fuzz/seeds/response_typed/*
      ;;
  esac
  local r
  for r in fuzz/regressions/"$t"/*; do
    [[ -f $r && $(basename "$r") != README.md ]] && cp "$r" "$dir/regression-$(basename "$r")"
  done
  return 0
}

# ---- build once, run each

echo "== building the fuzz targets (cargo +$toolchain fuzz build ${build_args[*]})"
nice -n "$niceness" cargo "+$toolchain" fuzz build "${build_args[@]}"

mkdir -p fuzz/logs
declare -A executions rate added outcome
found=0
for t in "${targets[@]}"; do
  seed "$t"
  log=fuzz/logs/$t.log
  echo "== fuzzing $t for ${seconds}s ($(find "fuzz/corpus/$t" -type f | wc -l) inputs in the corpus)"
  status=0
  nice -n "$niceness" cargo "+$toolchain" fuzz run "${build_args[@]}" "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout="$timeout" \
    -max_len="$(max_len "$t")" -dict="$(dict "$t")" >"$log" 2>&1 || status=$?
  executions[$t]=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  rate[$t]=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  added[$t]=$(grep -o 'stat::new_units_added: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  if [[ $status -eq 0 ]]; then
    outcome[$t]=ok
  else
    found=1
    outcome[$t]="FINDING (exit $status)"
    echo "-- $t: the end of $log:"
    tail -n 60 "$log"
    echo "-- the input is in fuzz/artifacts/$t/; minimize it with"
    echo "   cargo +$toolchain fuzz tmin ${build_args[*]} $t fuzz/artifacts/$t/<file>"
  fi
done

echo "== fuzzing summary (${seconds}s per target, sanitizer: $sanitizer)"
printf '%-18s %14s %10s %10s  %s\n' target executions exec/s new result
for t in "${targets[@]}"; do
  printf '%-18s %14s %10s %10s  %s\n' "$t" "${executions[$t]:-?}" "${rate[$t]:-?}" \
    "${added[$t]:-?}" "${outcome[$t]}"
done
exit "$found"
