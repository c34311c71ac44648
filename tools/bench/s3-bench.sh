#!/usr/bin/env bash
# S3 benchmark: Strata and restic against the same S3 server in one run. The server is S3Proxy on
# loopback, in memory, behind a proxy that counts requests and the bytes clients send
# (S3BenchServer, s3-backend test sources); each client gets a bucket of its own. Per tool: a full
# backup of a generated dataset (gen_dataset.py), an incremental after ~2% of it changed, a full
# restore (checked against the source by a hash of every file); wall and CPU seconds, requests, GETs
# (and HEADs), PUTs (and POSTs) and MB sent; logs/TOOL-STEP.requests counts each step's requests by method
# and kind of key.
#
#   tools/bench/s3-bench.sh [--size 200M] [--seed 42] [--work DIR]
#
# The counting proxy closes every connection after one request (so does neither tool's own pool):
# absolute times include a TCP handshake per request for both tools alike.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/tools/bench"
work="${STRATA_S3_BENCH_DIR:-/tmp/strata-s3-bench}"
size=200M
seed=42
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        *) echo "usage: $0 [--size 200M] [--seed 42] [--work DIR]" >&2; exit 2 ;;
    esac
done
logs="$work/logs"
rm -rf "$work"; mkdir -p "$logs"
source "$here/bench-lib.sh"
command -v restic >/dev/null || ensure_debian_packages restic=restic
build_strata
test_classpath

data="$work/data"
say "generating the dataset (gen_dataset.py --size $size --seed $seed)"
$PY "$here/gen_dataset.py" generate "$data" --size "$size" --seed "$seed" >"$logs/gen.log"

coproc S3 { exec java -Xmx3g -cp "$TEST_CP" dev.strata.core.backend.s3.testing.S3BenchServer strata restic 2>"$logs/s3.err"; }
s3pid=$S3_PID
trap 'kill "$s3pid" 2>/dev/null || true' EXIT
read -r endpoint <&"${S3[0]}" || die "the S3 server did not start: $(tail -n 5 "$logs/s3.err")"
say "S3 server (counting) at $endpoint"
export AWS_ACCESS_KEY_ID=strata-test-key AWS_SECRET_ACCESS_KEY=strata-test-secret
export RESTIC_PASSWORD=s3-bench STRATA_PASSWORD=s3-bench
strata_args=(-r "s3:$endpoint/strata" --cache-dir "$work/strata-cache")
export RESTIC_REPOSITORY="s3:$endpoint/restic" RESTIC_CACHE_DIR="$work/restic-cache"
STRATA=("$root/strata")

table="$logs/table.md"
printf '| tool | step | wall s | CPU s | requests | GETs | PUTs | MB up |\n|---|---|---|---|---|---|---|---|\n' >"$table"

# run TOOL STEP CMD...: one measured step; the server's counters are zeroed before and read after.
run() {
    local tool="$1" step="$2" start counts u s
    shift 2
    echo reset >&"${S3[1]}"
    start="$(now_ns)"
    /usr/bin/time -f '%U %S' -o "$logs/$tool-$step.time" "$@" >"$logs/$tool-$step.out" 2>&1 \
        || { tail -n 10 "$logs/$tool-$step.out" >&2; die "$tool $step failed"; }
    local wall; wall="$(secs_since "$start")"
    echo report >&"${S3[1]}"
    read -r counts <&"${S3[0]}"
    echo "detail $logs/$tool-$step.requests" >&"${S3[1]}"
    read -r u s <"$logs/$tool-$step.time"
    eval "${counts// /;}"
    printf '| %s | %s | %s | %.1f | %d | %d | %d | %s |\n' "$tool" "$step" "$wall" "$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')" \
        "$requests" "$gets" "$puts" "$(mb "$bytesUp")" >>"$table"
    say "$tool $step: $wall s, $requests requests"
}

# verify DIR: the restored tree holds the source's files, byte for byte.
verify() {
    local restored="$1" want got
    want="$(cd "$data" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)"
    got="$(cd "$restored" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)"
    [ "$want" = "$got" ] || die "restore from $restored differs from the source"
}

"${STRATA[@]}" init "${strata_args[@]}" >"$logs/strata-init.out" 2>&1 || die "strata init failed"
restic init >"$logs/restic-init.out" 2>&1 || die "restic init failed"

run strata backup "${STRATA[@]}" backup "$data" "${strata_args[@]}"
run restic backup restic backup "$data"
$PY "$here/gen_dataset.py" mutate "$data" --size "$size" --seed "$seed" >"$logs/mutate.log"
run strata incremental "${STRATA[@]}" backup "$data" "${strata_args[@]}"
run restic incremental restic backup "$data"
run strata restore "${STRATA[@]}" restore latest --target "$work/restore-strata" "${strata_args[@]}"
run restic restore restic restore latest --target "$work/restore-restic"
verify "$work/restore-strata$data"
verify "$work/restore-restic$data"
echo quit >&"${S3[1]}"

echo; cat "$table"
echo; echo "dataset: $(du -sb "$data" | cut -f1) bytes (--size $size); load afterwards: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
