#!/usr/bin/env bash
# The 10 TB simulation: builds synthetic repositories with the metadata of a very large one
# (SyntheticRepository, tools test sources: N chunk entries in real packs and index files, real trees,
# 1,000 daily snapshots of one source, 8-byte payloads) and measures, at each size, the commands whose
# cost must not grow with it:
#   catch-up  the first command with an empty cache (ls latest: the index built from the index files)
#   snapshots three warm runs (goal: 1 s)
#   backup    of a small new folder into the repository (goal: peak RSS 0.5 GB)
#   check     structure check, every snapshot walked (heap bounded: the marks live in LMDB)
#   prune     every chunk marked (all are reachable, so nothing is deleted; the marks are sorted runs in the cache)
#   mount     listing snapshots/<source>/, then each step down to a file of the oldest and the newest
#             snapshot, and reading it, on a fresh mount (goal: the same time per step at every size)
# Each row has wall and CPU seconds, the peak RSS, the peak of anonymous memory (heap and native
# allocations; the rest of the RSS is LMDB's mapped file, which the kernel can drop) and the largest
# Java heap in use before a collection.
#
#   tools/bench/scale-bench.sh [--chunks "1000000 10000000"] [--snapshots 1000] [--work DIR] [--skip "check prune mount"]
#
# Repositories are built once and kept in --work (about 1.5 GB at 10 million chunks); delete a size's
# folder to build it again. Takes minutes per size; not part of the test suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${STRATA_SCALE_DIR:-/tmp/strata-scale}"
sizes="1000000 10000000"
snapshots=1000
skip=""
while [ $# -gt 0 ]; do
    case "$1" in
        --chunks) sizes="$2"; shift 2 ;;
        --snapshots) snapshots="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --skip) skip="$2"; shift 2 ;;
        *) echo "usage: $0 [--chunks \"N ...\"] [--snapshots N] [--work DIR] [--skip \"check prune mount\"]" >&2; exit 2 ;;
    esac
done
logs="$work/logs"
mkdir -p "$logs"
source "$root/tools/bench/bench-lib.sh"

build_strata
test_classpath
cp="$TEST_CP"

echo scale-bench >"$work/password"
STRATA=("$root/strata")
mounted=""; mpid=""
trap '[ -n "$mounted" ] && release_mount "$mounted" "$mpid"' EXIT

# measure LABEL CMD...: runs CMD (a java process, or the launcher that execs one), sampling its memory
# every 0.1 s; appends a row to $table.
measure() {
    local label="$1" out="$logs/$1.out" tf="$logs/$1.time" gc="$logs/$1.gc" tpid jpid anon=0 a start
    shift
    rm -f "$gc"
    start="$(now_ns)"
    STRATA_JAVA_OPTS="-Xlog:gc:file=$gc" /usr/bin/time -f '%U %S %M' -o "$tf" "$@" >"$out" 2>&1 &
    tpid=$!
    while kill -0 "$tpid" 2>/dev/null; do
        jpid="$(pgrep -P "$tpid" | head -n1 || true)"
        if [ -n "$jpid" ]; then
            a="$(awk '/^RssAnon/ { print $2 }' "/proc/$jpid/status" 2>/dev/null || true)"
            [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon="$a"
        fi
        sleep 0.1
    done
    wait "$tpid" || { say "$label failed:"; tail -n 5 "$out" >&2; }
    local wall; wall="$(secs_since "$start")"
    local heap; heap="$(grep -o '[0-9]*M->' "$gc" 2>/dev/null | sed 's/M->//' | sort -n | tail -n1 || true)"
    read -r u s rss <"$tf" || true
    printf '| %s | %s | %s | %.2f | %d | %d | %s |\n' "$n" "$label" "$wall" "$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')" \
        $((rss / 1024)) $((anon / 1024)) "${heap:-0}" >>"$table"
}

# step LABEL CMD...: one mount step, wall milliseconds only.
step() {
    local label="$1" start
    shift
    start="$(now_ns)"
    "$@" >/dev/null
    printf '| %s | %s | %s |\n' "$n" "$label" "$(awk -v a="$start" -v b="$(now_ns)" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')" >>"$steps"
}

table="$logs/table.md"; steps="$logs/mount.md"
printf '| chunks | step | wall s | CPU s | peak RSS MiB | peak anon MiB | peak heap MiB |\n|---|---|---|---|---|---|---|\n' >"$table"
printf '| chunks | mount step | ms |\n|---|---|---|\n' >"$steps"
small="$work/small"
if [ ! -d "$small" ]; then
    mkdir -p "$small"
    for i in $(seq 1 200); do head -c 100000 /dev/urandom >"$small/f$i.bin"; done
fi

for n in $sizes; do
    d="$work/$n"
    if [ ! -f "$d/built" ]; then
        rm -rf "$d"; mkdir -p "$d"
        say "building a repository of $n chunks and $snapshots snapshots (load: $(cut -d' ' -f1-3 /proc/loadavg))"
        measure build java -Xmx1g -cp "$cp" dev.strata.cli.scale.SyntheticRepository "$d/repo" scale-bench "$n" "$snapshots"
        touch "$d/built"
    fi
    rm -rf "$d/cache"
    r=(-r "$d/repo" --password-file "$work/password" --cache-dir "$d/cache")
    say "$n chunks: commands (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    measure catch-up "${STRATA[@]}" ls latest "${r[@]}"
    for i in 1 2 3; do measure "snapshots-$i" "${STRATA[@]}" snapshots "${r[@]}"; done
    measure backup "${STRATA[@]}" backup "$small" "${r[@]}"
    [[ " $skip " == *" check "* ]] || measure check "${STRATA[@]}" check "${r[@]}"
    [[ " $skip " == *" prune "* ]] || measure prune "${STRATA[@]}" prune "${r[@]}"
    [[ " $skip " == *" mount "* ]] && continue

    mp="$d/mnt"; mkdir -p "$mp"
    "${STRATA[@]}" mount "$mp" "${r[@]}" >"$logs/mount-$n.log" 2>&1 & mpid=$!; mounted="$mp"
    for i in $(seq 1 3000); do [ -d "$mp/snapshots" ] && break; sleep 0.1; done
    src="$mp/snapshots/data@synthetic"
    step "ls snapshots/" ls "$mp/snapshots"
    step "ls snapshots/<source>/" ls "$src"
    step "ls <source>/2024/" ls "$src/2024"
    step "ls <source>/2024/2024-01/" ls "$src/2024/2024-01"
    first="$src/2024/2024-01/$(ls "$src/2024/2024-01" | head -n1)"
    step "first: ls <snapshot>/" ls "$first"
    step "first: ls day-0000/" ls "$first/day-0000"
    step "first: cat day-0000/file-00000.bin" cat "$first/day-0000/file-00000.bin"
    last="$(ls "$src/latest/" | tail -n1)"
    step "latest: ls <snapshot>/ (all days)" ls "$src/latest"
    step "latest: ls day-0000/" ls "$src/latest/day-0000"
    step "latest: cat day-0000/file-00000.bin" cat "$src/latest/day-0000/file-00000.bin"
    step "latest: ls $last/" ls "$src/latest/$last"
    step "latest: cat $last/file-00000.bin" cat "$src/latest/$last/file-00000.bin"
    step "ls snapshots/<source>/2024/2024-01/ again" ls "$src/2024/2024-01"
    ps -o rss= -p "$mpid" | awk -v n="$n" '{ printf "| %s | mount RSS after the steps (MiB) | %d |\n", n, $1 / 1024 }' >>"$steps"
    release_mount "$mp" "$mpid"; mounted=""
done

echo; cat "$table"; echo; cat "$steps"
echo; echo "load afterwards: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
