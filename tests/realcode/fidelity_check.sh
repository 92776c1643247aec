#!/usr/bin/env bash
# Build fidelity on a real CMake project, consumed with app.proj exactly as a user would (not part of the test run: it
# needs fetched code). Builds the serial and the parallel trees with ParaSlmFloatReassociation=false, checks that the
# project's files are byte-identical afterwards (SHA-256) and that the program's output is the serial build's, text for
# text (bit-for-bit at the printed precision) at 2 and 4 threads.
# With REASSOCIATION=true (the SDK's default policy), output may differ, but only in numbers (the same text and the
# same tokens otherwise), and only in sections (`== NAME` lines, NAME a source's base name) whose source holds a loop
# the report marks `lastDigitsMayChange`; the largest relative difference of each such section is printed.
#   [REASSOCIATION=true] tests/realcode/fidelity_check.sh DIR 'RUN' [IGNORE] [-p:… build arguments]
# DIR holds app.proj and nuget.config (REALCODE.md); RUN is a shell command run in DIR whose output is compared, with
# {build} replaced by each tree; IGNORE (extended regex, default: none) drops lines that vary by themselves (timings).
# Example (PolyBench/C with a user's CMakeLists.txt):
#   tests/realcode/fidelity_check.sh polybench 'for f in $(cat utilities/benchmark_list); do k=$(basename $f .c); echo "== $k"; {build}/$k 2>&1; done'
set -uo pipefail
dir=$(cd "$1" && pwd); run=$2; ignore=${3:-'a^'}; shift $(( $# >= 3 ? 3 : 2 ))
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
hash_files() { (cd "$dir" && find . -path ./build -prune -o -path ./obj -prune -o -path ./bin -prune -o -type f -print0 | sort -z | xargs -0 sha256sum); }
hash_files > "$out/before.sha256"
start=$(date +%s.%N)
reassociation=${REASSOCIATION:-false}
dotnet build "$dir/app.proj" -nologo -v:minimal -m:1 -tl:off -p:ParaSlmFloatReassociation=$reassociation -p:ParaSlmCMakeBuildSerial=true "$@" > "$out/build.log" 2>&1
rc=$?
seconds=$(echo "$(date +%s.%N) - $start" | bc)
hash_files > "$out/after.sha256"
status=0
echo "build (ParaSlmFloatReassociation=$reassociation): exit $rc, $(printf %.0f "$seconds") s (serial + parallel trees); log $out/build.log"
grep -E "(warning|error) PSLM" "$out/build.log" | sort -u | sed 's/^/  /'
[[ $rc -eq 0 ]] || { tail -30 "$out/build.log"; exit 1; }
if cmp -s "$out/before.sha256" "$out/after.sha256"; then echo "sources: byte-identical ($(wc -l < "$out/before.sha256") files)"; else echo "SOURCES CHANGED"; diff "$out/before.sha256" "$out/after.sha256" | head; status=1; fi
report=$(find "$dir/obj" -path '*paraslm/report/paraslm-report.json' | head -1)
python3 - "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); t = r["totals"]
print(f"engine: {t['files']} files, {t['loops']} loops, {t['parallel']} parallel, {t['rewritten']} files rewritten")
PY
for threads in 2 4; do
  for tree in paraslm-serial paraslm; do
    (cd "$dir" && OMP_NUM_THREADS=$threads bash -c "${run//\{build\}/$dir/build/$tree}") 2>&1 | grep -Ev "$ignore" > "$out/$tree.$threads.txt"
  done
  lines=$(wc -l < "$out/paraslm-serial.$threads.txt")
  if cmp -s "$out/paraslm-serial.$threads.txt" "$out/paraslm.$threads.txt"; then
    echo "output at $threads threads: identical to the serial build ($lines lines)"
  elif [[ $reassociation == true ]]; then
    echo "output at $threads threads: differs from the serial build ($lines lines); judged against the report's reassociated loops:"
    python3 "$(dirname "$0")/reassociated_diff.py" "$report" "$out/paraslm-serial.$threads.txt" "$out/paraslm.$threads.txt" || status=1
  else
    echo "OUTPUT DIFFERS at $threads threads:"; diff "$out/paraslm-serial.$threads.txt" "$out/paraslm.$threads.txt" | head -10; status=1
  fi
done
exit $status
