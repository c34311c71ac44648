#!/usr/bin/env bash
# Browsing speed: the files inside a stored disk image, read through `strata mount`
# (images/<name>/<time>/disk/…), against the same files on a loop mount of the same image.
#
#   tools/bench/browse-bench.sh [--size 1G] [--seed 42] [--used-only] [--runs 1] [--work DIR] [--results DIR]
#
# 1. An ext4 image file of --size bytes (at least 160 MiB), made with `mke2fs -t ext4 -b 4096 -d`
#    from its own dataset (gen_dataset.py, 43% of --size), as backup-bench.sh makes it.
# 2. `strata image create` of it (with --used-only when asked) into a fresh repository.
# 3. Per side, --runs times: the page cache dropped, then `find . | wc -l` over the tree, the page
#    cache dropped again, then `tar -cf - . | cat >/dev/null` (every file read once). The loop side
#    is `mount -o loop,ro` of the image file (root only: this is for the comparison, browsing
#    itself needs no root); the Strata side a fresh `strata mount` for each run.
# 4. Writes a markdown report (default target/bench-results/browse-bench.md) and prints it:
#    seconds, MB/s, and Strata's throughput as a share of the loop mount's (goal ≥ 0.7×).
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=bench-lib.sh
. "$here/bench-lib.sh"

size=1G
seed=42
used_only=0
runs=1
work="$root/target/browse-work"
results="$root/target/bench-results"
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --used-only) used_only=1; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --results) results="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "browse-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "the loop mount needs root"
ensure_debian_packages e2fsprogs=mke2fs fuse=fusermount python3=python3
work="$(mkdir -p "$work" && cd "$work" && pwd)"
results="$(mkdir -p "$results" && cd "$results" && pwd)"
logs="$results/logs"
report="$results/browse-bench.md"
mkdir -p "$logs"
logs="$(cd "$logs" && pwd)"

export STRATA_PASSWORD="${BENCH_PASSWORD:-strata-bench-password}"
export STRATA_REPO="$work/repo" STRATA_CACHE_DIR="$work/cache"
STRATA=("$root/strata")
src="$work/src" img="$work/disk.img" loop_mp="$work/mnt/loop" strata_mp="$work/mnt/strata"
MPID=""
cleanup() {
    if mountpoint -q "$loop_mp" 2>/dev/null; then umount "$loop_mp" || umount -l "$loop_mp" || true; fi
    release_mount "$strata_mp" "$MPID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
build_strata
rm -rf "$src" "$img" "$STRATA_REPO" "$STRATA_CACHE_DIR"
mkdir -p "$loop_mp" "$strata_mp"

mib=$(( $(size_bytes "$size") / 1048576 )); [ "$mib" -ge 160 ] || mib=160
fill=$(( mib * 43 / 100 )); [ "$fill" -ge 64 ] || fill=64
say "generating ${fill}M of files (gen_dataset.py --seed $seed)"
"$PY" "$here/gen_dataset.py" generate "$src" --size "${fill}M" --seed "$seed"
truncate -s "$(( mib * 1048576 ))" "$img"
E2FSPROGS_FAKE_TIME=1704067200 mke2fs -q -F -t ext4 -b 4096 -U 5472a7a0-b3e1-4c2d-9e5f-000000000001 \
    -E "hash_seed=5472a7a0-b3e1-4c2d-9e5f-000000000002,root_owner=0:0" -d "$src" "$img" >"$logs/browse.mke2fs.out" 2>&1 \
    || die "mke2fs failed (log: $logs/browse.mke2fs.out)"
files="$(find "$src" -type f | wc -l)"
bytes="$(du -sb "$src" | cut -f1)"
"${STRATA[@]}" init >"$logs/browse.init.out" 2>&1 || die "strata init failed (log: $logs/browse.init.out)"
opt=(); [ "$used_only" = 0 ] || opt=(--used-only)
say "strata image create ${opt[*]}"
"${STRATA[@]}" image create "$img" --name browse "${opt[@]}" >"$logs/browse.create.out" 2>&1 \
    || die "image create failed (log: $logs/browse.create.out)"

# measure SIDE TREE RUN: find, then tar, each after dropping the caches; sets R_<side>_{find,tar,bytes}_<run>.
declare -A R
measure() {
    local side="$1" tree="$2" run="$3" start n
    drop_caches
    start="$(now_ns)"
    n="$(cd "$tree" && find . | wc -l)"
    R[$side.find.$run]="$(secs_since "$start")"; R[$side.entries]="$n"
    drop_caches
    start="$(now_ns)"
    (cd "$tree" && tar --totals -cf - . 2>"$logs/browse.$side.tar.err" | cat >/dev/null)
    R[$side.tar.$run]="$(secs_since "$start")"
    R[$side.bytes]="$(sed -n 's/^Total bytes written: \([0-9]*\).*/\1/p' "$logs/browse.$side.tar.err")"
    say "$side run $run: find ${R[$side.find.$run]} s ($n entries), tar ${R[$side.tar.$run]} s ($(mb "${R[$side.bytes]}") MB)"
}

for run in $(seq 1 "$runs"); do
    mount -o loop,ro "$img" "$loop_mp"
    measure loop "$loop_mp" "$run"
    umount "$loop_mp"

    "${STRATA[@]}" mount "$strata_mp" >"$logs/browse.mount.out" 2>&1 & MPID=$!
    tree=""
    for i in $(seq 1 3000); do
        for d in "$strata_mp"/images/browse/*/disk; do if [ -d "$d" ]; then tree="$d"; fi; done
        [ -z "$tree" ] || break
        kill -0 "$MPID" 2>/dev/null || die "strata mount exited (log: $logs/browse.mount.out)"
        sleep 0.1
    done
    [ -n "$tree" ] || die "no images/browse/*/disk in the mount after 5 minutes"
    measure strata "$tree" "$run"
    R[strata.rss]="$(proc_status_mb "$MPID" VmHWM)"
    release_mount "$strata_mp" "$MPID"; MPID=""
done

# best SIDE KIND: the shortest of the runs.
best() {
    local v="" run
    for run in $(seq 1 "$runs"); do
        v="$(awk -v a="$v" -v b="${R[$1.$2.$run]}" 'BEGIN { if (a == "" || b + 0 < a + 0) print b; else print a }')"
    done
    printf '%s' "$v"
}
{
    echo "# Browsing the files inside an image"
    echo
    echo "Run $started with \`tools/bench/browse-bench.sh --size $size --seed $seed$( [ "$used_only" = 1 ] && echo ' --used-only') --runs $runs\`" \
        "at commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown); $(nproc) cores," \
        "load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
    echo "An ext4 image of $mib MiB (\`mke2fs -d\`, $files files, $(mb "$bytes") MB); page cache dropped before" \
        "each step; best of $runs run(s). Strata mount peak RSS ${R[strata.rss]:-?} MB."
    echo
    echo "| step | loop mount s | strata mount s | strata / loop throughput |"
    echo "|---|---:|---:|---:|"
    for k in find tar; do
        l="$(best loop "$k")"; s="$(best strata "$k")"
        echo "| $( [ "$k" = find ] && echo "find (${R[loop.entries]} entries; strata ${R[strata.entries]})" || echo "tar, every file read ($(mb "${R[loop.bytes]}") MB)") | $l | $s | $(ratio "$l" "$s")× |"
    done
    l="$(awk -v a="$(best loop find)" -v b="$(best loop tar)" 'BEGIN { print a + b }')"
    s="$(awk -v a="$(best strata find)" -v b="$(best strata tar)" 'BEGIN { print a + b }')"
    echo "| both | $l | $s | $(ratio "$l" "$s")× |"
    echo
    echo "| goal | measured | verdict |"
    echo "|---|---:|---|"
    goal_row "find and reading every file: ≥ 0.7× a loop mount's throughput" "$(ratio "$l" "$s")" ge 0.7
} >"$report"
cat "$report"
