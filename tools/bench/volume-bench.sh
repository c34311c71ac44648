#!/usr/bin/env bash
# Live-volume benchmark: a Strata volume beside the plain disk and bindfs (a C FUSE passthrough), in
# one run, on the same disk; prints one markdown table with the goals.
#
#   tools/bench/volume-bench.sh [--size 1G] [--files 30000] [--rand-size 256M] [--rand-time 60]
#                               [--tarball FILE] [--only SECTIONS] [--work DIR] [--results DIR] [--keep]
#
# Three targets, all in the work folder (default target/volume-bench, so on the checkout's disk):
#   disk    a plain folder
#   bindfs  `bindfs -f` of a plain folder, default options (libfuse 2, like Strata's mount)
#   strata  a volume mounted with `strata mount --daemon --volume bench DIR`; its repository, cache
#           and state folder (STRATA_REPO, STRATA_CACHE_DIR, STRATA_STATE_DIR) in the work folder
# Sections (--only takes a comma list; meta needs untar, which then runs first):
#   seq     fio: sequential write of a --size file (1 MiB blocks, fsync at the end), then, after
#           dropping the page cache, a sequential read of it; MB/s (10^6 bytes)
#   rand    fio: 4 KiB random writes into a --rand-size file written beforehand, fsync at the end, at
#           most --rand-time seconds; IOPS
#   untar   tar -xf of the first --files files of a source tarball (default: Debian's linux-source,
#           cut by source_tree.py into a plain tar and read once before timing); wall seconds
#   meta    after dropping the caches: find DIR -type f -print0 | xargs -0 stat >/dev/null over the
#           untarred tree; wall seconds
# After each writing step the script waits until the target's server process is idle (for Strata:
# versions sealed and made durable) and states how long that took. Also reported: the peak RSS
# (VmHWM) of the bindfs and Strata processes, the repository's size after unmounting (which writes a
# checkpoint) and the FUSE requests the Strata mount counted.
#
# Run as root: page caches are dropped before every read (echo 3 > /proc/sys/vm/drop_caches) and
# missing Debian packages (fio, bindfs, fuse, libfuse2, linux-source, ...) are installed with
# apt-get. Strata is built with `mvn package` and run through the ./strata launcher; STRATA_JAVA_OPTS
# reaches the mount process (for example a JFR recording). Everything the run makes is removed at
# the end (--keep keeps it); the report goes to --results (default target/bench-results).
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=bench-lib.sh
. "$here/bench-lib.sh"

size=1G
files=30000
rand_size=256M
rand_time=60
tarball=""
only=""
keep=0
work="$root/target/volume-bench"
results="$root/target/bench-results"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --files) files="$2"; shift 2 ;;
        --rand-size) rand_size="$2"; shift 2 ;;
        --rand-time) rand_time="$2"; shift 2 ;;
        --tarball) tarball="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --results) results="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "volume-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
for s in ${only//,/ }; do
    case "$s" in seq|rand|untar|meta) ;; *) die "--only takes seq, rand, untar and meta, not '$s'" ;; esac
done
wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
if [ -n "$only" ] && wanted meta; then only="$only,untar"; fi

work="$(mkdir -p "$work" && cd "$work" && pwd)"
results="$(mkdir -p "$results" && cd "$results" && pwd)"
logs="$results/logs/volume"
report="$results/volume-bench.md"
raw="$results/volume-bench.tsv"
targets="disk bindfs strata"

declare -A R=()   # results: R[target.metric]=value
put() { R["$1"]="$2"; printf '%s\t%s\n' "$1" "$2" >>"$raw"; }
get() { printf '%s' "${R[$1]:-}"; }

# ---------------------------------------------------------------------------------------------
# The targets: where each one's files go, and the process serving it

declare -A DIR=([disk]="$work/disk" [bindfs]="$work/mnt/bindfs" [strata]="$work/mnt/strata")
declare -A PID=()

export STRATA_REPO="$work/strata/repo" STRATA_CACHE_DIR="$work/strata/cache" STRATA_STATE_DIR="$work/strata/state"
export STRATA_PASSWORD="${BENCH_PASSWORD:-strata-bench-password}"
unset STRATA_PASSWORD_FILE 2>/dev/null || true
volume=bench

cleanup() {
    local t
    for t in strata bindfs; do release_mount "${DIR[$t]}" "${PID[$t]:-}" 120; done
    if [ "$keep" = 0 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_bindfs() {
    mkdir -p "$work/bindfs-src" "${DIR[bindfs]}"
    bindfs -f "$work/bindfs-src" "${DIR[bindfs]}" >"$logs/bindfs.log" 2>&1 &
    PID[bindfs]=$!
    local i
    for i in $(seq 1 100); do mountpoint -q "${DIR[bindfs]}" && return 0; sleep 0.1; done
    die "bindfs did not mount (log: $logs/bindfs.log)"
}

mount_strata() {
    local out
    mkdir -p "${DIR[strata]}"
    "$root/strata" init >"$logs/strata-init.log" 2>&1 || die "strata init failed (log: $logs/strata-init.log)"
    "$root/strata" volume create "$volume" >>"$logs/strata-init.log" 2>&1 || die "strata volume create failed"
    out="$("$root/strata" mount --daemon --volume "$volume" "${DIR[strata]}" --log "$logs/strata-mount.log" 2>&1)" \
        || die "strata mount failed: $out (log: $logs/strata-mount.log)"
    PID[strata]="$(sed -n 's/.*(process \([0-9]*\),.*/\1/p' <<<"$out")"
    [ -n "${PID[strata]}" ] || die "no process id in: $out"
}

# settle TARGET: waits for what a target does after a step returned (its server idle, then the disk
# synced); sets SETTLE_SECS.
settle() {
    local busy=0 start
    if [ -n "${PID[$1]:-}" ]; then wait_idle "${PID[$1]}" || true; busy="$IDLE_SECS"; fi
    start="$(now_ns)"
    sync
    SETTLE_SECS="$(awk -v a="$busy" -v b="$(secs_since "$start")" 'BEGIN { printf "%.2f", a + b }')"
}

# ---------------------------------------------------------------------------------------------
# fio

# fio_run NAME DIR ARGS...: one fio job on DIR; its JSON goes to $logs/NAME.json.
fio_run() {
    local name="$1" dir="$2"; shift 2
    # fallocate=none: FUSE file systems without fallocate would otherwise differ from the disk.
    fio --name="$name" --directory="$dir" --ioengine=psync --fallocate=none --output-format=json \
        --output="$logs/$name.json" "$@" >"$logs/$name.out" 2>&1 \
        || { tail -n 5 "$logs/$name.out" >&2; return 1; }
}
# fio_field NAME read|write bw_bytes|iops|total_ios: a figure of fio's JSON.
fio_field() {
    "$PY" -c 'import json, sys; j = json.load(open(sys.argv[1]))["jobs"][0]; print(j[sys.argv[2]][sys.argv[3]])' \
        "$logs/$1.json" "$2" "$3"
}

seq_bench() {
    local t="$1" d="${DIR[$1]}"
    say "$t: sequential write of $size"
    drop_caches
    if fio_run "seq-write-$t" "$d" --filename=seq.bin --rw=write --bs=1M --size="$size" --end_fsync=1; then
        put "$t.seq.write" "$(mb "$(fio_field "seq-write-$t" write bw_bytes)")"
    else
        put "$t.seq.write" failed
    fi
    settle "$t"; put "$t.seq.settle" "$SETTLE_SECS"
    say "$t: sequential read"
    drop_caches
    if fio_run "seq-read-$t" "$d" --filename=seq.bin --rw=read --bs=1M --size="$size"; then
        put "$t.seq.read" "$(mb "$(fio_field "seq-read-$t" read bw_bytes)")"
    else
        put "$t.seq.read" failed
    fi
    rm -f "$d/seq.bin"
    settle "$t"
    say "$t: write $(get "$t.seq.write") MB/s (then $(get "$t.seq.settle") s until idle), read $(get "$t.seq.read") MB/s"
}

rand_bench() {
    local t="$1" d="${DIR[$1]}"
    say "$t: writing the $rand_size file for random writes"
    fio_run "rand-layout-$t" "$d" --filename=rand.bin --rw=write --bs=1M --size="$rand_size" --end_fsync=1 \
        || { put "$t.rand.iops" failed; return 0; }
    settle "$t"
    drop_caches
    say "$t: 4 KiB random writes (at most $rand_time s)"
    if fio_run "rand-write-$t" "$d" --filename=rand.bin --rw=randwrite --bs=4k --size="$rand_size" \
            --randrepeat=1 --norandommap --end_fsync=1 --runtime="$rand_time"; then
        put "$t.rand.iops" "$(awk -v i="$(fio_field "rand-write-$t" write iops)" 'BEGIN { printf "%.0f", i }')"
        put "$t.rand.ios" "$(fio_field "rand-write-$t" write total_ios)"
    else
        put "$t.rand.iops" failed
    fi
    settle "$t"; put "$t.rand.settle" "$SETTLE_SECS"
    rm -f "$d/rand.bin"
    settle "$t"
    say "$t: $(get "$t.rand.iops") IOPS ($(get "$t.rand.ios") writes; then $(get "$t.rand.settle") s until idle)"
}

# ---------------------------------------------------------------------------------------------
# untar and the metadata storm

untar_bench() {
    local t="$1" d="${DIR[$1]}" start n
    drop_caches
    cat "$tree_tar" >/dev/null   # the tar itself comes from the page cache, for every target
    say "$t: untar"
    start="$(now_ns)"
    if tar -xf "$tree_tar" -C "$d" 2>"$logs/untar-$t.err"; then
        put "$t.untar" "$(secs_since "$start")"
    else
        put "$t.untar" failed; head -n 5 "$logs/untar-$t.err" >&2
    fi
    settle "$t"; put "$t.untar.settle" "$SETTLE_SECS"
    n="$(find "$d" -type f | wc -l)"
    [ "$n" = "$(get tree.files)" ] || { say "$t: $n files after untar, not $(get tree.files)"; put "$t.untar" "wrong ($n files)"; }
    say "$t: untar $(get "$t.untar") s (then $(get "$t.untar.settle") s until idle)"
}

meta_bench() {
    local t="$1" d="${DIR[$1]}" start
    drop_caches
    say "$t: find + stat of every file"
    start="$(now_ns)"
    if (cd "$d" && find . -type f -print0 | xargs -0 stat >/dev/null) 2>"$logs/meta-$t.err"; then
        put "$t.meta" "$(secs_since "$start")"
    else
        put "$t.meta" failed; head -n 5 "$logs/meta-$t.err" >&2
    fi
    say "$t: find + stat $(get "$t.meta") s"
}

# ---------------------------------------------------------------------------------------------
# The run

mkdir -p "$logs"
: >"$raw"
run_started="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
ensure_debian_packages fio=fio bindfs=bindfs fuse=fusermount libfuse2=lib:libfuse.so.2 libargon2-1=lib:libargon2.so.1 \
    openjdk-17-jdk-headless=javac maven=mvn python3=python3 procps=ps xz-utils=xz
if { wanted untar || wanted meta; } && [ -z "$tarball" ]; then
    ensure_debian_packages "linux-source=file:/usr/src/linux-source-*.tar.xz"
    tarball="$(ls -1 /usr/src/linux-source-*.tar.xz | sort -V | tail -n 1)"
fi
build_strata
[ "$(id -u)" -eq 0 ] || say "not root: page caches cannot be dropped, reads may come from memory"

for t in strata bindfs; do
    if mountpoint -q "${DIR[$t]}" 2>/dev/null; then fusermount -uz "${DIR[$t]}"; fi
done
rm -rf "$work/disk" "$work/bindfs-src" "$work/strata" "$work/mnt" "$work/tree.tar"
mkdir -p "$work/disk" "$work/strata"

if wanted untar; then
    tree_tar="$work/tree.tar"
    say "cutting the first $files files of $tarball into a plain tar"
    counts="$("$PY" "$here/source_tree.py" "$tarball" "$tree_tar" --files "$files")"
    for kv in $counts; do put "tree.${kv%%=*}" "${kv#*=}"; done
    put tree.source "$(basename "$tarball")"
fi

mount_bindfs
mount_strata
say "work folder $work (bindfs pid ${PID[bindfs]}, strata mount pid ${PID[strata]})"

for section in seq rand untar meta; do
    if wanted "$section"; then
        for t in $targets; do "${section}_bench" "$t"; done
    fi
done

for t in bindfs strata; do
    put "$t.hwm" "$(proc_status_mb "${PID[$t]}" VmHWM)"
    put "$t.rss" "$(proc_status_mb "${PID[$t]}" VmRSS)"
done
say "unmounting Strata (it writes a checkpoint)"
start="$(now_ns)"
release_mount "${DIR[strata]}" "${PID[strata]}" 600
put strata.unmount "$(secs_since "$start")"
PID[strata]=""
release_mount "${DIR[bindfs]}" "${PID[bindfs]}"
PID[bindfs]=""
put strata.repo "$(du -sb "$STRATA_REPO" | cut -f1)"
put strata.state "$(du -sb "$STRATA_STATE_DIR" | cut -f1)"
put strata.requests "$(sed -n 's/.*(requests served: \(.*\))$/\1/p' "$logs/strata-mount.log" | tail -n 1)"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------
# The report

cell() { local v; v="$(get "$1")"; printf '%s' "${v:-–}"; }
num() { local v; v="$(get "$1")"; if [[ "$v" =~ ^[0-9.]+$ ]]; then printf '%s' "$v"; fi; }
# row LABEL KEY [GOAL-DESCRIPTION OP THRESHOLD]: one measurement for the three targets, the ratio
# Strata/bindfs and, for a goal, its verdict.
row() {
    local label="$1" key="$2" r verdict="" goal="${3:-}"
    r="$(ratio "$(num "strata.$key")" "$(num "bindfs.$key")")"
    if [ -n "$goal" ]; then
        verdict="$(goal_verdict "$r" "$4" "$5")"
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(cell "disk.$key")" "$(cell "bindfs.$key")" \
        "$(cell "strata.$key")" "${r:+${r}×}" "$goal" "$verdict"
}

# settle_row LABEL KEY: seconds until idle after a step, with no ratio (bindfs has next to nothing left).
settle_row() {
    printf '| %s | %s | %s | %s | | | |\n' "$1" "$(cell "disk.$2")" "$(cell "bindfs.$2")" "$(cell "strata.$2")"
}

shown="--size $size --files $files"
[ "$rand_size" = 256M ] || shown="$shown --rand-size $rand_size"
[ "$rand_time" = 60 ] || shown="$shown --rand-time $rand_time"
[ -z "$only" ] || shown="$shown --only $only"
{
    echo "# Live-volume benchmark"
    echo
    echo "Run $run_started with \`tools/bench/volume-bench.sh $shown\` at commit" \
        "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo "**Machine.** $(machine_summary "$work") at the end; $load_start at the start." \
        "fio $(fio --version), bindfs $(bindfs --version 2>/dev/null | head -n 1 | awk '{ print $2 }')," \
        "Java $(java -version 2>&1 | head -n 1 | sed 's/.*version "\([^"]*\)".*/\1/'). Page caches dropped" \
        "before each timed step: **$dropped**. Strata JVM options: \`${STRATA_JAVA_OPTS:-none}\`."
    echo
    if wanted untar; then
        echo "**Tree.** The first $(get tree.files) files of \`$(get tree.source)\` ($(mb "$(get tree.bytes)") MB in" \
            "$(get tree.dirs) folders, $(get tree.links) symbolic or hard links), as a plain tar read into the page cache before each untar."
        echo
    fi
    echo "| measurement | disk | bindfs | Strata | Strata / bindfs | goal | verdict |"
    echo "|---|---:|---:|---:|---:|---|---|"
    if wanted seq; then
        row "sequential write, $size file, 1 MiB blocks, fsync at the end (MB/s)" seq.write "≥ 0.5×" ge 0.5
        settle_row "… then until idle (s)" seq.settle
        row "sequential read after dropping caches (MB/s)" seq.read "≥ 0.5×" ge 0.5
    fi
    if wanted rand; then
        row "4 KiB random writes in a $rand_size file, fsync at the end (IOPS)" rand.iops
        settle_row "… then until idle (s)" rand.settle
    fi
    if wanted untar; then
        row "untar of $(get tree.files) files (s)" untar "≤ 2×" le 2
        settle_row "… then until idle (s)" untar.settle
    fi
    if wanted meta; then
        row "metadata storm: find + stat of every file (s)" meta "≤ 1.5×" le 1.5
    fi
    echo "| peak RSS of the serving process, VmHWM (MB) | – | $(cell bindfs.hwm) | $(cell strata.hwm) | $(r="$(ratio "$(num strata.hwm)" "$(num bindfs.hwm)")"; echo "${r:+${r}×}") | stated | |"
    echo "| repository after the run (MB) | – | – | $(mb "$(get strata.repo)") | | | |"
    echo
    echo "Strata: unmounting (a checkpoint) took $(get strata.unmount) s; the volume's local state folder" \
        "holds $(mb "$(get strata.state)") MB; the mount served: $(get strata.requests)." \
        "MB = 10⁶ bytes. *Until idle*: from the step's end until the serving process used under 3% of a" \
        "core for a second, plus \`sync\` (work left after the step returned)."
} >"$report"

cat "$report"
say "report: $report (raw figures $raw, logs $logs)"
