#!/usr/bin/env bash
# Runs every test project under tests/ and ends with one line "N passed, N failed" totalled over all of them.
# Everything the tests need is started by the tests themselves (servers on 127.0.0.1 with free ports).
#
#   bash tests/run.sh          every test (what CI runs)
#   bash tests/run.sh --fast   while developing: skips the tests marked [Trait("Category", "Slow")] (emulators,
#                              a self-contained publish, a million customers, hundreds of megabytes)
set -uo pipefail
cd "$(dirname "$0")/.."

filter=()
case "${1:-}" in
  --fast) filter=(--filter "Category!=Slow") ;;
  "") ;;
  *) echo "usage: bash tests/run.sh [--fast]" >&2; exit 2 ;;
esac

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

status=0
dotnet build CustomerValue.Functions.sln --configuration Release --nologo --verbosity quiet || status=$?

passed=0
failed=0
if [ "$status" -eq 0 ]; then
  for project in tests/*/*.Tests.csproj; do
    name="$(basename "$project" .csproj)"
    dotnet test "$project" --configuration Release --no-build --nologo ${filter[@]+"${filter[@]}"} \
      --logger "trx;LogFileName=$name.trx" \
      --logger "console;verbosity=minimal" \
      --results-directory "$results" || status=$?
    trx="$results/$name.trx"
    if [ ! -e "$trx" ]; then
      # The test host died before writing results: count it, never report green.
      failed=$((failed + 1))
      continue
    fi
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
  done
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build failed before any test ran.
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
