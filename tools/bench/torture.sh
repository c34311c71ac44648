#!/usr/bin/env bash
# Torture test: Strata under kill -9, damaged repositories, hostile input and concurrent use, on one
# generated tree; prints one markdown table and exits non-zero when any check fails.
#
#   tools/bench/torture.sh [--size 1G] [--seed 42] [--kill-points 20] [--image-kill-points 5]
#                          [--prune-kill-points 7] [--corrupt-packs 10] [--wide-files 100000]
#                          [--only SECTIONS] [--work DIR] [--results DIR] [--keep] [--ci]
#
# Run as root (FUSE mounts, tmpfs mounts, owners, trusted xattrs). Strata is built with
# `mvn package` and run through the ./strata launcher, with STRATA_REPO, STRATA_PASSWORD and
# STRATA_CACHE_DIR pointing into a work folder that is created and removed (--keep keeps it).
# The tree (torture_tree.py over gen_dataset.py, seeded): text, logs, JSON, random and compressible
# large files, duplicates, hard links, symlinks, a sparse file, xattrs, odd modes and owners,
# nanosecond times, a fifo; about 30,000 entries per GiB. Sections (--only takes a comma list):
#   kill        kill -9 at seeded random moments of `backup` (plain and --force, the tree changed
#               before each): after each kill `check --read-data` must be clean (notes about
#               unreferenced leftovers are fine) and the next backup must complete
#   image       the same during `image create` of an ext4 image made with mke2fs -d from text/
#   verify      every snapshot so far restored and compared with the tree as it was when the snapshot
#               was taken: type, mode, owner, size, mtime (ns), sha256, symlink target, xattrs,
#               hard-link groups, sparse holes; images by sha256
#   prune       `forget` then kill -9 during `prune`; check, backup and prune must then complete
#   concurrency two backups at once; check and prune at once; a backup while a mount is up
#   (verify runs again after prune and concurrency)
#   corruption  in a copy: packs flipped, truncated or deleted; `check --read-data` names exactly
#               them; restore recovers every other file and lists the rest (exit 14); `repair
#               snapshots` makes check clean; a new backup of the intact source restores whole
#   cache       the index cache deleted, then garbage written into its LMDB file: rebuilt, restore works
#   hostile     names not UTF-8, control characters, 255-byte names, 4,000-byte paths, a folder of
#               --wide-files files, files growing and shrinking while read, crafted trees (`..`,
#               absurd counts and sizes), a key file asking for 4 GiB x 1000 Argon2 passes, a
#               truncated key file, a snapshot record missing fields, packs whose trailer lies about
#               the table length, a full disk during backup and during restore (tmpfs)
# A hostile input passes with a correct round trip or a clear error: exit code not 0 and below 128
# (134 is a JVM crash), at most 3 lines on stderr (5 for a restore onto a full disk), no stack
# trace, no OutOfMemoryError, no Java exception text, nothing written outside the restore target.
# Every Strata command is also checked for JVM crashes (-XX:ErrorFile points into the work folder),
# stack traces and OutOfMemoryError. The table, and every command's output, go to --results
# (default target/torture-results).
#
# --ci: a small run for continuous integration (about 6 CPU-minutes): --size 200M,
# 5 kill points, 2 during image create and prune, 3 damaged packs, 20,000 files in one folder, one
# case of each hostile kind.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=bench-lib.sh
. "$here/bench-lib.sh"

size=1G
seed=42
kill_points=20
image_kills=5
prune_kills=7
corrupt_packs=10
wide_files=100000
ci=0
keep=0
only=""
work=""
results="$root/target/torture-results"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
args=("$@")
for a in "${args[@]}"; do
    if [ "$a" = --ci ]; then
        ci=1; size=200M; kill_points=5; image_kills=2; prune_kills=2; corrupt_packs=3; wide_files=20000
    fi
done
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --kill-points) kill_points="$2"; shift 2 ;;
        --image-kill-points) image_kills="$2"; shift 2 ;;
        --prune-kill-points) prune_kills="$2"; shift 2 ;;
        --corrupt-packs) corrupt_packs="$2"; shift 2 ;;
        --wide-files) wide_files="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --results) results="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        --ci) shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "torture: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "run as root: the torture test mounts FUSE and tmpfs filesystems and restores owners"
wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

# ---------------------------------------------------------------------------------------------
# The work folder, and everything to undo on exit

if [ -z "$work" ]; then
    work="$(mktemp -d "${TMPDIR:-/var/tmp}/strata-torture.XXXXXX")"
else
    [ ! -e "$work" ] || [ -z "$(ls -A "$work")" ] || die "--work $work exists and is not empty"
    mkdir -p "$work"; work="$(cd "$work" && pwd)"
fi
logs="$work/logs"
mkdir -p "$logs" "$work/crash" "$results"
results="$(cd "$results" && pwd)"

mounts=()      # FUSE and tmpfs mount points to release on exit
bg_pids=()     # background processes started here and not yet waited for (so their ids are still theirs)
reaped() { local p keep=(); for p in "${bg_pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; bg_pids=("${keep[@]}"); }
cleanup() {
    local rc=$? p mp
    for p in "${bg_pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    for mp in "${mounts[@]}"; do
        if mountpoint -q "$mp" 2>/dev/null; then
            fusermount -u "$mp" 2>/dev/null || umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || true
        fi
    done
    for p in "${bg_pids[@]}"; do wait "$p" 2>/dev/null || true; done
    if [ -d "$logs" ]; then
        rm -rf "$results/logs" "$results/crash"
        cp -r "$logs" "$results/logs" 2>/dev/null || true
        if [ -n "$(ls -A "$work/crash" 2>/dev/null)" ]; then cp -r "$work/crash" "$results/crash"; fi
    fi
    if [ "$keep" = 0 ]; then
        for mp in "${mounts[@]}"; do mountpoint -q "$mp" 2>/dev/null && umount -l "$mp" 2>/dev/null; done
        rm -rf "$work"
    else
        say "work folder kept: $work"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Rows of the table

rows=()
declare -A R_LABEL=() R_TRIED=() R_PASSED=() R_FAILED=() R_DETAIL=() R_NOTRUN=()
row() { rows+=("$1"); R_LABEL[$1]="$2"; R_TRIED[$1]=0; R_PASSED[$1]=0; R_FAILED[$1]=0; R_DETAIL[$1]=""; }
note() { R_DETAIL[$1]="${R_DETAIL[$1]:+${R_DETAIL[$1]}; }$2"; }
pass() { R_TRIED[$1]=$(( R_TRIED[$1] + 1 )); R_PASSED[$1]=$(( R_PASSED[$1] + 1 )); }
fail() { R_TRIED[$1]=$(( R_TRIED[$1] + 1 )); R_FAILED[$1]=$(( R_FAILED[$1] + 1 )); note "$1" "$2"; say "FAIL $1: $2"; }
not_run() { R_NOTRUN[$1]=1; note "$1" "not run: $2"; }
verdict() { if [ "$2" = ok ]; then pass "$1"; else fail "$1" "$2"; fi; }   # ROW ok|WHY
bytes_lost=0
# on_purpose ROW BEFORE: bytes a restore missed after damage done on purpose are the row's, not a loss.
on_purpose() {
    if [ "$bytes_lost" != "$2" ]; then note "$1" "$(( bytes_lost - $2 )) bytes not restored"; fi
    bytes_lost="$2"
}

# ---------------------------------------------------------------------------------------------
# Running Strata

export STRATA_PASSWORD="${TORTURE_PASSWORD:-strata-torture-password}"
unset STRATA_PASSWORD_FILE 2>/dev/null || true
export STRATA_JAVA_OPTS="${STRATA_JAVA_OPTS:-} -XX:ErrorFile=$work/crash/hs_err_pid%p.log"
use_repo() { export STRATA_REPO="$1" STRATA_CACHE_DIR="$2"; }

ncmd=0
bad_cmds=()
LAST_TIMEOUT=""
# audit NAME RC: a JVM crash, a stack trace or an OutOfMemoryError in a command's output is a
# failure of the "every command" row, whatever the command was testing.
audit() {
    local name="$1" rc="$2" why=""
    if [ "$rc" = 134 ] || grep -q 'A fatal error has been detected' "$LOG.out" "$LOG.err" 2>/dev/null; then
        why="JVM crash (exit $rc)"
    elif grep -qE 'OutOfMemoryError' "$LOG.err" "$LOG.out" 2>/dev/null; then
        why="OutOfMemoryError"
    elif grep -qE '^[[:space:]]+at [A-Za-z0-9_.$]+\(|^Exception in thread|^Caused by: ' "$LOG.err" 2>/dev/null; then
        why="stack trace"
    fi
    if [ -n "$why" ]; then bad_cmds+=("$name: $why (${LOG#$logs/})"); fi
}
# st NAME ARGS...: runs ./strata ARGS from the work folder, output in $LOG.out and $LOG.err; sets
# RC and SECS. ST_TIMEOUT (seconds) kills a command that takes longer (RC 124, LAST_TIMEOUT set).
st() {
    local name="$1" start; shift
    ncmd=$(( ncmd + 1 )); LOG="$logs/$(printf %04d "$ncmd")-$name"
    start="$(now_ns)"
    set +e
    if [ -n "${ST_TIMEOUT:-}" ]; then
        (cd "$work" && exec timeout --foreground -s KILL "$ST_TIMEOUT" "$root/strata" "$@") >"$LOG.out" 2>"$LOG.err" </dev/null
    else
        (cd "$work" && exec "$root/strata" "$@") >"$LOG.out" 2>"$LOG.err" </dev/null
    fi
    RC=$?
    set -e
    SECS="$(secs_since "$start")"
    LAST_TIMEOUT=""
    if [ -n "${ST_TIMEOUT:-}" ] && { [ "$RC" = 124 ] || [ "$RC" = 137 ]; }; then LAST_TIMEOUT="$ST_TIMEOUT"; fi
    printf '%s\t%s\t%s\n' "${LOG#$logs/}" "$RC" "$SECS" >>"$logs/commands.tsv"
    audit "$name" "$RC"
}
# st_bg NAME ARGS...: starts ./strata ARGS in the background (BG_PID, BG_LOG); st_join collects it.
st_bg() {
    local name="$1"; shift
    ncmd=$(( ncmd + 1 )); BG_LOG="$logs/$(printf %04d "$ncmd")-$name"
    (cd "$work" && exec "$root/strata" "$@") >"$BG_LOG.out" 2>"$BG_LOG.err" </dev/null &
    BG_PID=$!
    bg_pids+=("$BG_PID")
}
st_join() { # PID LOG NAME
    set +e; wait "$1" 2>/dev/null; RC=$?; set -e
    reaped "$1"
    LOG="$2"; LAST_TIMEOUT=""
    printf '%s\t%s\t%s\n' "${LOG#$logs/}" "$RC" "background" >>"$logs/commands.tsv"
    audit "$3" "$RC"
}
alive() { local s; s="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1; [[ "$s" != Z* ]]; }
# kill_during NAME DELAY-SECONDS ARGS...: runs ./strata ARGS and kills it with SIGKILL after DELAY
# unless it ended first; sets KILLED (1 or 0), RC and LOG.
kill_during() {
    local name="$1" delay="$2" start; shift 2
    st_bg "$name" "$@"
    start="$(now_ns)"
    while alive "$BG_PID" && awk -v s="$start" -v n="$(now_ns)" -v d="$delay" 'BEGIN { exit !((n - s) / 1e9 < d) }'; do
        sleep 0.02
    done
    if alive "$BG_PID"; then kill -KILL "$BG_PID" 2>/dev/null || true; KILLED=1; else KILLED=0; fi
    st_join "$BG_PID" "$BG_LOG" "$name"
}
# longer SECONDS: how long the next run of a command is expected to take, from the last one (which
# may have found part of its work done by the run killed before it).
longer() { awk -v s="$1" 'BEGIN { printf "%.2f", s * 1.2 }'; }
# A seeded moment: a fraction between 0.05 and 0.95 of SECONDS.
RANDOM="$seed"
moment() { awk -v t="$1" -v r="$(( RANDOM % 900 + 50 ))" 'BEGIN { printf "%.2f", t * r / 1000 }'; }

# first_line LOG: the first line of stderr (else stdout) of a command, for the details column.
first_line() { { grep -m1 -v '^[[:space:]]*$' "$1.err" || grep -m1 -v '^[[:space:]]*$' "$1.out" || true; } | cut -c1-160 | tr '|' '/'; }
# clear_error RC LOG [MAX-LINES]: 0 when the command failed the way a user can act on: a non-zero
# exit below 128, a short message, no stack trace, OOM or Java exception text. Else sets WHY. A
# report on stdout whose lines start with "error:" (check) counts as the message.
clear_error() {
    local rc="$1" log="$2" max="${3:-3}" n err="$2.err"
    WHY=""
    n="$(grep -cv '^[[:space:]]*$' "$err" || true)"
    if [ "$n" = 0 ] && grep -q '^error: ' "$log.out"; then err="$log.out"; n=1; fi
    if [ "$rc" = 0 ]; then WHY="exit 0"
    elif [ -n "$LAST_TIMEOUT" ]; then WHY="still running after $LAST_TIMEOUT s (killed)"
    elif [ "$rc" -ge 128 ]; then WHY="exit $rc (JVM crash or signal)"
    elif grep -qE 'OutOfMemoryError' "$log.err" "$log.out"; then WHY="OutOfMemoryError"
    elif grep -qE '^[[:space:]]+at [A-Za-z0-9_.$]+\(|^Caused by: |Exception in thread' "$log.err"; then WHY="stack trace"
    elif [ "$n" -eq 0 ]; then WHY="exit $rc without a message"
    elif [ "$n" -gt "$max" ]; then WHY="$n lines on stderr"
    elif grep -qE 'java\.(lang|io|nio|util)\.|com\.fasterxml|Cannot invoke|because the return value|NullPointerException|IndexOutOfBounds|NegativeArraySize|IllegalStateException' "$err"; then
        WHY="Java internals in the message: $(first_line "$log")"
    fi
    [ -z "$WHY" ]
}
# ok_or_clear RC LOG: a command that may either succeed or refuse clearly (sets WHY when neither).
ok_or_clear() { WHY=""; [ "$1" = 0 ] && ! grep -qE 'OutOfMemoryError|^[[:space:]]+at [A-Za-z0-9_.$]+\(' "$2.err" && return 0; clear_error "$@"; }

snapshot_ids() { { ls "$STRATA_REPO/snapshots" 2>/dev/null || true; } | sort; }
json_field() { "$PY" -c 'import json,sys; d=[json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]; print(d[-1].get(sys.argv[2], "") if d else "")' "$1" "$2"; }

# ---------------------------------------------------------------------------------------------
# Snapshots and what they must restore to: one line per snapshot in $snapmap,
#   ID KIND REFERENCE PREFIX   (backup: a manifest and the folder below the tree; image: a sha256)

data="$work/data"
repo="$work/repo"
cache="$work/cache"
snapmap="$work/snapshots.tsv"
forgotten="$work/forgotten.txt"
: >"$snapmap"; : >"$forgotten"
tree() { "$PY" "$here/torture_tree.py" "$@"; }
# craft ARGS...: TortureCraft (compiled once against the built jar), for what needs the repository's keys.
craft() {
    if [ ! -f "$work/craft/TortureCraft.class" ]; then
        mkdir -p "$work/craft"
        javac -nowarn -d "$work/craft" -cp "$root/tools/target/strata.jar" "$here/TortureCraft.java" >"$logs/craft-javac.out" 2>&1 \
            || { cat "$logs/craft-javac.out" >&2; return 1; }
    fi
    (cd "$work" && exec java $STRATA_JAVA_OPTS --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/sun.nio.fs=ALL-UNNAMED \
        -cp "$root/tools/target/strata.jar:$work/craft" TortureCraft "$@")
}
damage() { "$PY" "$here/torture_damage.py" "$@"; }
manifest_now() { # NAME: a manifest of $data as it is now, in $M
    M="$work/manifests/$1.jsonl"
    tree manifest "$data" "$M" --cache "$work/manifests/hash-cache.json"
}
# record_new BEFORE KIND REF PREFIX: every snapshot not in the list BEFORE belongs to REF.
record_new() {
    local id n=0
    for id in $(comm -13 <(printf '%s\n' "$1") <(snapshot_ids)); do
        printf '%s\t%s\t%s\t%s\n' "$id" "$2" "$3" "$4" >>"$snapmap"; n=$(( n + 1 ))
    done
    NEW="$n"
}
# restore_and_compare ID PREFIX MANIFEST TARGET [SKIP]: restores ID's PREFIX folder of the tree into
# TARGET and compares it with MANIFEST; sets WHY ("" when identical) and adds lost bytes.
restore_and_compare() {
    local id="$1" prefix="$2" want="$3" target="$4" skip="${5:-}" src="$data" out
    [ "$prefix" = . ] || src="$data/$prefix"
    rm -rf "$target"
    st restore restore --quiet "$id:$src" --target "$target"
    compare_restored "$want" "$target" "$prefix" "$skip"
    rm -rf "$target"
}
compare_restored() { # MANIFEST TARGET PREFIX [SKIP]: after a restore (RC, LOG) into TARGET; sets WHY, DIFF_WHY
    local want="$1" target="$2" prefix="$3" skip="${4:-}" out crc lost
    WHY=""; DIFF_WHY=""
    mkdir -p "$target"
    tree manifest "$target" "$work/got.jsonl"
    set +e
    out="$("$PY" "$here/torture_tree.py" compare "$want" "$work/got.jsonl" ${prefix:+--prefix "$prefix"} \
        ${skip:+--skip "$skip"} 2>"$work/compare.err")"
    crc=$?
    set -e
    lost="$(printf '%s' "$out" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["bytesLost"])' 2>/dev/null || echo 0)"
    bytes_lost=$(( bytes_lost + lost ))
    if [ "$crc" != 0 ]; then
        cp "$work/compare.err" "$LOG.compare"
        DIFF_WHY="$(printf '%s' "$out" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["differences"], "of", d["entries"], "entries differ")' 2>/dev/null || echo "compare failed"): $(head -n 2 "$work/compare.err" | tr '\n' ' ' | cut -c1-200 | tr '|' '/')"
    fi
    [ "$RC" = 0 ] || WHY="restore exit $RC: $(first_line "$LOG")"
    [ -z "$DIFF_WHY" ] || WHY="${WHY:+$WHY; }$DIFF_WHY"
    rm -f "$work/got.jsonl"
}

# ---------------------------------------------------------------------------------------------
# Setup: packages, build, tree, repository, first backup

ensure_debian_packages openjdk-17-jdk-headless=javac maven=mvn fuse=fusermount libfuse2=lib:libfuse.so.2 \
    libargon2-1=lib:libargon2.so.1 e2fsprogs=mke2fs python3=python3 procps=ps
build_strata
say "torture: size $size, seed $seed, work folder $work"
started="$(now_ns)"
run_started="$(date -u '+%Y-%m-%d %H:%M UTC')"
mkdir -p "$work/manifests" "$work/restore"
(cd "$work" && "$root/strata" --version >/dev/null 2>&1) || true   # class-data archive, once

say "generating the tree (torture_tree.py generate --size $size --seed $seed)"
tree generate "$data" --size "$size" --seed "$seed"
entries="$(find "$data" | wc -l)"
say "tree: $entries entries, $(mb "$(du -sb "$data" | cut -f1)") MB"

use_repo "$repo" "$cache"
st init init
[ "$RC" = 0 ] || die "strata init failed: $(first_line "$LOG")"
round=0
manifest_now r000
before="$(snapshot_ids)"
st backup-initial backup --json --tag torture "$data"
[ "$RC" = 0 ] || die "the first backup failed: $(first_line "$LOG")"
record_new "$before" backup "$M" .
declare -A T_EST=([plain]="$SECS" [force]="$SECS")
say "initial backup: $SECS s"

# One round's change of the tree, and its manifest in $M.
next_round() { round=$(( round + 1 )); tree mutate "$data" --size "$size" --seed "$seed" --round "$round"; manifest_now "$(printf 'r%03d' "$round")"; }

# ---------------------------------------------------------------------------------------------
# kill -9 during backup

# after_kill ROW WHAT: check --read-data after a kill; sets CHECK_WHY ("" when clean) and counts notes.
leftover_notes=0
after_kill() {
    st "check-after-$2" check --read-data --json
    CHECK_WHY=""
    if [ "$RC" != 0 ]; then
        CHECK_WHY="check --read-data exit $RC after the kill: $({ grep -o '"errors":\[[^]]*' "$LOG.out" || true; } | cut -c11-170 | tr '|' '/')$(first_line "$LOG" | { grep -v '^{' || true; })"
    fi
    leftover_notes=$(( leftover_notes + $("$PY" -c 'import json,sys
try: print(len(json.loads(open(sys.argv[1]).read().splitlines()[-1])["notes"]))
except Exception: print(0)' "$LOG.out") ))
}

kill_backups() {
    local i mode flag delay m before landed=0 why
    row kill "kill -9 during \`backup\`"
    for i in $(seq 1 "$kill_points"); do
        mode=plain; flag=(); if [ $(( i % 2 )) = 0 ]; then mode=force; flag=(--force); fi
        next_round; m="$M"
        delay="$(moment "${T_EST[$mode]}")"
        before="$(snapshot_ids)"
        kill_during "kill-backup-$i" "$delay" backup --json --tag torture "${flag[@]}" "$data"
        landed=$(( landed + KILLED ))
        record_new "$before" backup "$m" .
        after_kill kill "backup-$i"
        why="$CHECK_WHY"
        before="$(snapshot_ids)"
        st "backup-after-kill-$i" backup --json --tag torture "${flag[@]}" "$data"
        record_new "$before" backup "$m" .
        if [ "$RC" != 0 ] || [ "$NEW" = 0 ]; then
            why="${why:+$why; }next backup exit $RC: $(first_line "$LOG")"
        else
            T_EST[$mode]="$(longer "$SECS")"
        fi
        if [ -z "$why" ]; then pass kill; else fail kill "point $i ($mode backup, kill at $delay s): $why"; fi
        say "kill point $i/$kill_points: $mode backup killed at $delay s (landed: $KILLED)${why:+; $why}"
    done
    note kill "$landed of $kill_points kills landed before the backup ended; check noted $leftover_notes unreferenced leftovers"
}

# ---------------------------------------------------------------------------------------------
# kill -9 during image create

img="$work/image/disk.img"
image_kills_section() {
    local i delay before sha t_img landed=0 why mib
    row image "kill -9 during \`image create\`"
    mkdir -p "$work/image"
    mib=$(( $(du -sb "$data/text" | cut -f1) * 3 / 2 / 1048576 + 32 ))
    truncate -s "${mib}M" "$img"
    if ! mke2fs -q -F -t ext4 -b 4096 -d "$data/text" "$img" >"$logs/mke2fs.out" 2>&1; then
        not_run image "mke2fs -d failed: $(head -n1 "$logs/mke2fs.out")"; return
    fi
    sha="$(sha256sum "$img" | cut -d' ' -f1)"
    before="$(snapshot_ids)"
    st image-initial image create --json "$img" --name torture
    if [ "$RC" != 0 ]; then not_run image "the first image create failed: $(first_line "$LOG")"; return; fi
    record_new "$before" image "$sha" .
    t_img="$SECS"
    for i in $(seq 1 "$image_kills"); do
        # A change inside the filesystem, written with debugfs: a new file of random bytes.
        head -c "$(( (i * 700 + 300) * 1024 ))" /dev/urandom >"$work/image/add.bin"
        debugfs -w -R "write $work/image/add.bin /torture-$i.bin" "$img" >"$logs/debugfs-$i.out" 2>&1 || true
        sha="$(sha256sum "$img" | cut -d' ' -f1)"
        delay="$(moment "$t_img")"
        before="$(snapshot_ids)"
        kill_during "kill-image-$i" "$delay" image create --json "$img" --name torture
        landed=$(( landed + KILLED ))
        record_new "$before" image "$sha" .
        after_kill image "image-$i"
        why="$CHECK_WHY"
        before="$(snapshot_ids)"
        st "image-after-kill-$i" image create --json "$img" --name torture
        record_new "$before" image "$sha" .
        if [ "$RC" != 0 ] || [ "$NEW" = 0 ]; then why="${why:+$why; }next image create exit $RC: $(first_line "$LOG")"
        else t_img="$(longer "$SECS")"; fi
        if [ -z "$why" ]; then pass image; else fail image "point $i (kill at $delay s): $why"; fi
        say "image kill point $i/$image_kills at $delay s (landed: $KILLED)${why:+; $why}"
    done
    note image "$landed of $image_kills kills landed; image of ${mib} MiB (mke2fs -d of text/)"
}

# ---------------------------------------------------------------------------------------------
# Every snapshot restored and compared

verify_all() { # ROW LABEL
    local rowid="$1" id kind ref prefix n=0 lost0="$bytes_lost" present
    row "$rowid" "$2"
    present="$(snapshot_ids)"
    while IFS=$'\t' read -r id kind ref prefix; do
        if grep -qx "$id" "$forgotten"; then continue; fi
        if ! grep -qx "$id" <<<"$present"; then fail "$rowid" "snapshot ${id:0:8} vanished without being forgotten"; continue; fi
        n=$(( n + 1 ))
        if [ "$kind" = image ]; then
            rm -f "$work/restore/disk.img"
            st image-restore image restore "torture:$id" --target "$work/restore/disk.img"
            if [ "$RC" != 0 ]; then
                fail "$rowid" "image ${id:0:8}: restore exit $RC: $(first_line "$LOG")"
            elif [ "$(sha256sum "$work/restore/disk.img" | cut -d' ' -f1)" != "$ref" ]; then
                fail "$rowid" "image ${id:0:8}: restored image differs (sha256)"
            else
                pass "$rowid"
            fi
            rm -f "$work/restore/disk.img"
        else
            restore_and_compare "$id" "$prefix" "$ref" "$work/restore/tree"
            if [ -z "$WHY" ]; then pass "$rowid"; else fail "$rowid" "snapshot ${id:0:8}: $WHY"; fi
        fi
        say "verified $n: ${id:0:8} ($kind${prefix:+ $prefix})"
    done <"$snapmap"
    note "$rowid" "$(( bytes_lost - lost0 )) bytes lost"
}

# ---------------------------------------------------------------------------------------------
# kill -9 during prune, after forget

prune_kills_section() {
    local i delay m before why keep landed=0 t_prune flag
    row prune "kill -9 during \`prune\` (after \`forget\`)"
    keep=$(( ci == 1 ? 3 : 4 ))
    st prune-estimate prune --dry-run
    t_prune="$(awk -v s="$SECS" 'BEGIN { printf "%.2f", s * 3 }')"
    for i in $(seq 1 "$prune_kills"); do
        next_round; m="$M"
        before="$(snapshot_ids)"
        st "prune-round-backup-$i" backup --json --tag torture "$data"
        record_new "$before" backup "$m" .
        before="$(snapshot_ids)"
        st "forget-$i" forget --tag torture --keep-last "$keep"
        comm -23 <(printf '%s\n' "$before") <(snapshot_ids) >>"$forgotten"
        flag=(); if [ $(( i % 2 )) = 1 ]; then flag=(--max-unused 0); fi
        delay="$(moment "$t_prune")"
        kill_during "kill-prune-$i" "$delay" prune "${flag[@]}"
        landed=$(( landed + KILLED ))
        after_kill prune "prune-$i"
        why="$CHECK_WHY"
        before="$(snapshot_ids)"
        st "backup-after-prune-kill-$i" backup --json --tag torture "$data"
        record_new "$before" backup "$m" .
        if [ "$RC" != 0 ]; then why="${why:+$why; }next backup exit $RC: $(first_line "$LOG")"; fi
        st "prune-after-kill-$i" prune "${flag[@]}"
        if [ "$RC" != 0 ]; then why="${why:+$why; }next prune exit $RC: $(first_line "$LOG")"
        else t_prune="$(longer "$SECS")"; fi
        if [ -z "$why" ]; then pass prune; else fail prune "point $i (prune ${flag[*]} killed at $delay s): $why"; fi
        say "prune kill point $i/$prune_kills at $delay s (landed: $KILLED)${why:+; $why}"
    done
    note prune "$landed of $prune_kills kills landed; $(wc -l <"$forgotten") snapshots forgotten (--keep-last $keep)"
}

# ---------------------------------------------------------------------------------------------
# Concurrency

# retry_lock COMMAND: sets RETRY to --retry-lock 10m when COMMAND has that option (waiting for a lock).
retry_lock() {
    local help; help="$(cd "$work" && "$root/strata" "$1" --help 2>/dev/null || true)"
    RETRY=(); if [[ "$help" == *--retry-lock* ]]; then RETRY=(--retry-lock 10m); fi
}
concurrency_section() {
    local before why m p1 p2 l1 l2 rc1 rc2 mnt short i
    retry_lock backup

    row conc-backup "Two backups into one repository at once"
    m="$work/manifests/r$(printf %03d "$round").jsonl"
    before="$(snapshot_ids)"
    st_bg conc-backup-text backup --json --tag conc "${RETRY[@]}" "$data/text"; p1=$BG_PID; l1=$BG_LOG
    st_bg conc-backup-json backup --json --tag conc "${RETRY[@]}" "$data/json"; p2=$BG_PID; l2=$BG_LOG
    st_join "$p1" "$l1" conc-backup-text; rc1=$RC
    st_join "$p2" "$l2" conc-backup-json; rc2=$RC
    why=""
    [ "$rc1" = 0 ] || why="backup of text/ exit $rc1: $(first_line "$l1")"
    [ "$rc2" = 0 ] || why="${why:+$why; }backup of json/ exit $rc2: $(first_line "$l2")"
    local id text_id
    text_id="$(json_field "$l1.out" snapshot)"
    for id in $(comm -13 <(printf '%s\n' "$before") <(snapshot_ids)); do
        if [ "$id" = "$text_id" ]; then printf '%s\tbackup\t%s\ttext\n' "$id" "$m" >>"$snapmap"
        else printf '%s\tbackup\t%s\tjson\n' "$id" "$m" >>"$snapmap"; fi
    done
    if [ -z "$why" ]; then st conc-check check --read-data; [ "$RC" = 0 ] || why="check after both exit $RC: $(first_line "$LOG")"; fi
    verdict conc-backup "${why:-ok}"
    [ ${#RETRY[@]} -eq 0 ] || note conc-backup "with --retry-lock"

    row conc-check-prune "\`check --read-data\` and \`prune\` at once"
    before="$(snapshot_ids)"
    st conc-forget forget --tag torture --keep-last 2
    comm -23 <(printf '%s\n' "$before") <(snapshot_ids) >>"$forgotten"
    retry_lock check
    st_bg conc-check check --read-data "${RETRY[@]}"; p1=$BG_PID; l1=$BG_LOG
    sleep 0.5
    retry_lock prune
    st_bg conc-prune prune --max-unused 0 "${RETRY[@]}"; p2=$BG_PID; l2=$BG_LOG
    st_join "$p1" "$l1" conc-check; rc1=$RC
    st_join "$p2" "$l2" conc-prune; rc2=$RC
    why=""
    if [ "$rc1" != 0 ] && ! { [ "$rc1" = 13 ] && clear_error "$rc1" "$l1"; }; then why="check exit $rc1: $(first_line "$l1")"; fi
    if [ "$rc2" != 0 ] && ! { [ "$rc2" = 13 ] && clear_error "$rc2" "$l2"; }; then why="${why:+$why; }prune exit $rc2: $(first_line "$l2")"; fi
    st conc-check-after check --read-data
    [ "$RC" = 0 ] || why="${why:+$why; }check afterwards exit $RC: $(first_line "$LOG")"
    verdict conc-check-prune "${why:-ok}"
    note conc-check-prune "check exit $rc1, prune exit $rc2"

    row conc-mount "A backup while a mount is up"
    mnt="$work/mnt"; mkdir -p "$mnt"; mounts+=("$mnt")
    why=""
    st mount mount --daemon --log "$logs/mount-daemon.log" "$mnt"
    if [ "$RC" != 0 ] || ! mountpoint -q "$mnt"; then
        fail conc-mount "mount --daemon exit $RC: $(first_line "$LOG")"; return
    fi
    next_round; m="$M"
    before="$(snapshot_ids)"
    st conc-mount-backup backup --json --tag torture "$data"
    record_new "$before" backup "$m" .
    if [ "$RC" != 0 ]; then
        why="backup exit $RC: $(first_line "$LOG")"
    else
        id="$(json_field "$LOG.out" snapshot)"; short="${id:0:8}"
        for i in $(seq 1 150); do [ -e "$mnt/ids/$short" ] && break; sleep 0.1; done
        local f; f="$(cd "$data" && find churn -name '*.bin' -print -quit)"
        if [ ! -e "$mnt/ids/$short" ]; then why="the new snapshot $short did not appear in the mount within 15 s"
        elif [ "$(sha256sum <"$mnt/ids/$short/$f" | cut -d' ' -f1)" != "$(sha256sum <"$data/$f" | cut -d' ' -f1)" ]; then
            why="$f read through the mount differs from the source"
        fi
    fi
    st conc-mount-prune prune
    ok_or_clear "$RC" "$LOG" || why="${why:+$why; }prune while mounted: $WHY"
    note conc-mount "prune while mounted: exit $RC ($(first_line "$LOG"))"
    st umount umount "$mnt"
    sleep 0.5
    if mountpoint -q "$mnt"; then why="${why:+$why; }still mounted after strata umount (exit $RC)"; fusermount -uz "$mnt" || true; fi
    verdict conc-mount "${why:-ok}"
}

# ---------------------------------------------------------------------------------------------
# Corruption, in a copy of the repository

corruption_section() {
    local crepo="$work/crepo" ccache="$work/ccache" latest m packs mentioned named extra why d lost
    row corrupt-check "Damaged packs: \`check --read-data\` names exactly them"
    row corrupt-restore "Damaged packs: restore recovers every other file, lists the rest (exit 14)"
    row corrupt-repair "Damaged packs: \`repair snapshots\`, then \`check\` clean"
    row corrupt-heal "Damaged packs: a new backup of the intact source restores whole"
    latest="$(awk -F'\t' '$2 == "backup" && $4 == "." { l = $1 "\t" $3 } END { print l }' "$snapmap")"
    m="${latest#*$'\t'}"; latest="${latest%%$'\t'*}"
    cp -a "$repo" "$crepo"; cp -a "$cache" "$ccache"
    use_repo "$crepo" "$ccache"
    mkdir -p "$work/corrupt"
    if ! craft packs-of "$latest" "$data" >"$work/corrupt/packs-of.jsonl" 2>"$logs/packs-of.err"; then
        not_run corrupt-restore "TortureCraft packs-of failed: $(head -n1 "$logs/packs-of.err")"
        : >"$work/corrupt/packs-of.jsonl"
    fi
    "$PY" -c 'import json,sys
s=set()
for l in open(sys.argv[1]):
    for c in json.loads(l)["chunks"]: s.update(c)
print("\n".join(sorted(s)))' "$work/corrupt/packs-of.jsonl" >"$work/corrupt/used-packs.txt"
    damage packs "$crepo" | cut -d' ' -f1 >"$work/corrupt/all-packs.txt"
    damage corrupt "$crepo" --count "$corrupt_packs" --seed "$seed" --prefer "$work/corrupt/used-packs.txt" >"$work/corrupt/damaged.jsonl"
    packs="$("$PY" -c 'import json,sys; print(" ".join(json.loads(l)["pack"] for l in open(sys.argv[1])))' "$work/corrupt/damaged.jsonl")"
    note corrupt-check "$(awk '{ n++ } END { print n }' "$work/corrupt/damaged.jsonl") data packs: $("$PY" -c 'import json,sys,collections; print(", ".join(f"{v} {k}" for k,v in sorted(collections.Counter(json.loads(l)["damage"] for l in open(sys.argv[1])).items())))' "$work/corrupt/damaged.jsonl")"

    # check --read-data names exactly the damaged packs.
    st corrupt-check check --read-data
    mentioned="$({ grep -ohE '[0-9a-f]{8,64}' "$LOG.out" "$LOG.err" || true; } | sort -u | while read -r hx; do grep -m1 "^$hx" "$work/corrupt/all-packs.txt" || true; done | sort -u)"
    named=0; why=""
    for d in $packs; do if grep -qx "$d" <<<"$mentioned"; then named=$(( named + 1 )); else why="${why:+$why, }${d:0:8} not named"; fi; done
    extra="$(comm -23 <(printf '%s\n' "$mentioned" | sed '/^$/d') <(printf '%s\n' $packs | sort))"
    [ -z "$extra" ] || why="${why:+$why; }also named intact packs: $(printf '%s\n' "$extra" | cut -c1-8 | tr '\n' ' ')"
    [ "$RC" = 14 ] || why="${why:+$why; }exit $RC, not 14"
    verdict corrupt-check "${why:-ok}"
    note corrupt-check "$named of $(wc -w <<<"$packs") named"

    # restore: every file outside the damaged packs comes back; the rest is listed.
    damage lost-files "$work/corrupt/packs-of.jsonl" "$work/corrupt/damaged.jsonl" >"$work/corrupt/lost.json"
    rm -rf "$work/restore/corrupt"
    st corrupt-restore restore "$latest:$data" --target "$work/restore/corrupt"
    "$PY" - "$LOG.err" "$data" "$work/corrupt/lost.json" "$work/corrupt/listed.jsonl" >"$work/corrupt/lost-check.txt" <<'EOF'
import json, sys
err, data, lost, out = sys.argv[1:5]
listed = []
for line in open(err, encoding="utf-8", errors="surrogateescape"):
    if line.startswith("damaged, not restored: "):
        p = line[len("damaged, not restored: "):].split(": ", 1)[0]
        listed.append(p[len(data) + 1:] if p.startswith(data + "/") else p)
exp = json.load(open(lost))
must, may = set(exp["must"]), set(exp["may"])
with open(out, "w") as f:
    for p in listed:
        f.write(json.dumps(p) + "\n")
s = set(listed)
print(len(s), len(must), len(may), len(must - s), len(s - may))
EOF
    local n_listed n_must n_may missing_must unexpected
    read -r n_listed n_must n_may missing_must unexpected <"$work/corrupt/lost-check.txt"
    why=""
    [ "$RC" = 14 ] || why="exit $RC, not 14"
    [ "$missing_must" = 0 ] || why="${why:+$why; }$missing_must files with all copies of a chunk in deleted packs not listed"
    [ "$unexpected" = 0 ] || why="${why:+$why; }$unexpected listed files have no data in a damaged pack"
    compare_restored "$m" "$work/restore/corrupt" . "$work/corrupt/listed.jsonl"
    [ -z "$DIFF_WHY" ] || why="${why:+$why; }other files: $DIFF_WHY"
    verdict corrupt-restore "${why:-ok}"
    note corrupt-restore "$n_listed files listed (must: $n_must, may: $n_may)"
    rm -rf "$work/restore/corrupt"

    # repair snapshots, then check.
    st corrupt-repair repair snapshots
    if [ "$RC" != 0 ]; then
        fail corrupt-repair "\`strata repair snapshots\` exit $RC: $(first_line "$LOG")"
    else
        st corrupt-check-after-repair check
        if [ "$RC" = 0 ]; then pass corrupt-repair; else fail corrupt-repair "check after repair exit $RC: $(first_line "$LOG")"; fi
        st corrupt-check-read-after-repair check --read-data
        note corrupt-repair "check --read-data afterwards: exit $RC"
    fi

    # A backup of the intact source (unchanged since the damaged snapshot) restores whole.
    local before; before="$(snapshot_ids)"
    st corrupt-heal-backup backup --json --tag torture "$data"
    if [ "$RC" != 0 ]; then
        fail corrupt-heal "backup exit $RC: $(first_line "$LOG")"
    else
        local lost0="$bytes_lost"
        restore_and_compare "$(json_field "$LOG.out" snapshot)" . "$m" "$work/restore/heal"
        verdict corrupt-heal "${WHY:-ok}"
        on_purpose corrupt-heal "$lost0"
    fi
    use_repo "$repo" "$cache"
    rm -rf "$crepo" "$ccache"
}

# ---------------------------------------------------------------------------------------------
# The index cache deleted or corrupted

cache_section() {
    local m mdb where latest
    latest="$(awk -F'\t' '$2 == "backup" && $4 == "." { l = $1 } END { print l }' "$snapmap")"
    m="$(awk -F'\t' '$2 == "backup" && $4 == "." { l = $3 } END { print l }' "$snapmap")"
    row cache-deleted "Index cache deleted: rebuilt, restore works"
    rm -rf "$cache"
    st cache-deleted-snapshots snapshots
    if [ "$RC" != 0 ]; then fail cache-deleted "snapshots exit $RC: $(first_line "$LOG")"
    else
        note cache-deleted "rebuilt in $SECS s"
        if [ "$ci" = 0 ]; then restore_and_compare "$latest" . "$m" "$work/restore/cache"; else WHY=""; fi
        verdict cache-deleted "${WHY:-ok}"
    fi
    row cache-garbage "Index cache corrupted (garbage in its LMDB file): rebuilt"
    for where in meta pages; do
        mdb="$(find "$cache" -path '*/index/data.mdb' -print -quit 2>/dev/null || true)"
        if [ -z "$mdb" ]; then   # the last variant's cache was removed: build a fresh one first
            st "cache-rebuild-$where" snapshots
            mdb="$(find "$cache" -path '*/index/data.mdb' -print -quit 2>/dev/null || true)"
        fi
        if [ -z "$mdb" ]; then fail cache-garbage "no index data.mdb under $cache"; continue; fi
        damage lmdb-garbage "$mdb" --where "$where" --seed "$seed"
        st "cache-garbage-$where" snapshots
        if [ "$RC" != 0 ]; then fail cache-garbage "garbage in the $where: snapshots exit $RC: $(first_line "$LOG")"; rm -rf "$cache"; continue; fi
        WHY=""
        local lost0="$bytes_lost"
        if [ "$ci" = 0 ] || [ "$where" = pages ]; then restore_and_compare "$latest" . "$m" "$work/restore/cache"; fi
        if [ -z "$WHY" ]; then pass cache-garbage; else fail cache-garbage "garbage in the $where: $WHY"; rm -rf "$cache"; fi
        on_purpose cache-garbage "$lost0"
    done
}

# ---------------------------------------------------------------------------------------------
# Hostile and odd input

. "$here/torture-hostile.sh"

# ---------------------------------------------------------------------------------------------
# The run

if wanted kill; then kill_backups; fi
if wanted image; then image_kills_section; fi
# A CI run restores every snapshot once, at the end.
if wanted verify && [ "$ci" = 0 ]; then verify_all verify1 "Every snapshot restores identical (after the kills)"; fi
if wanted prune; then prune_kills_section; fi
if wanted concurrency; then concurrency_section; fi
if wanted verify && { [ "$ci" = 1 ] || wanted prune || wanted concurrency; }; then
    verify_all verify2 "Every snapshot restores identical$([ "$ci" = 1 ] || echo ' (after prune and concurrency)')"
fi
if wanted corruption; then corruption_section; fi
if wanted cache; then cache_section; fi
if wanted hostile; then hostile_section; fi

row commands "Every command: no JVM crash, stack trace or OutOfMemoryError"
R_TRIED[commands]="$ncmd"; R_FAILED[commands]="${#bad_cmds[@]}"; R_PASSED[commands]=$(( ncmd - ${#bad_cmds[@]} ))
if [ ${#bad_cmds[@]} -gt 0 ]; then note commands "$(printf '%s, ' "${bad_cmds[@]:0:6}" | sed 's/, $//')"; fi
crashes="$(find "$work/crash" -name 'hs_err*' | wc -l)"
[ "$crashes" = 0 ] || { R_FAILED[commands]=$(( R_FAILED[commands] + crashes )); note commands "$crashes JVM crash reports (kept in $results/crash)"; }

# ---------------------------------------------------------------------------------------------
# The table

total_failed=0
{
    echo "## Strata torture test, $run_started"
    echo
    echo "Tree: $entries entries, $(mb "$(du -sb "$data" | cut -f1)") MB now (\`--size $size --seed $seed\`$([ "$ci" = 1 ] && echo ', --ci'));" \
        "$ncmd Strata commands in $(awk -v s="$(secs_since "$started")" 'BEGIN { printf "%.0f", s / 60 }') minutes; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "| check | points tried | passed | failed | details |"
    echo "|---|---:|---:|---:|---|"
    for r in "${rows[@]}"; do
        total_failed=$(( total_failed + R_FAILED[$r] ))
        tried="${R_TRIED[$r]}"; [ -z "${R_NOTRUN[$r]:-}" ] || [ "$tried" != 0 ] || tried="not run"
        printf '| %s | %s | %s | %s | %s |\n' "${R_LABEL[$r]}" "$tried" "${R_PASSED[$r]}" "${R_FAILED[$r]}" "${R_DETAIL[$r]:-}"
    done
    echo
    echo "Bytes lost (files a backup left out or a restore of an intact repository did not bring back identical): $bytes_lost."
} >"$results/torture.md"
cat "$results/torture.md"
say "table in $results/torture.md; every command's output in $results/logs"
if [ "$total_failed" -gt 0 ] || [ "$bytes_lost" -gt 0 ]; then exit 1; fi
