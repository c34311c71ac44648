#!/usr/bin/env bash
# Backup and mount benchmark: Strata against restic and Borg on one deterministic dataset, in one run
# (GitHub issues 3 and 4).
#
#   tools/bench/backup-bench.sh [--size 1G] [--seed 42] [--tools "strata restic borg"] [--no-mount]
#                               [--work DIR] [--results DIR] [--keep]
#
# 1. Generates a mixed dataset with gen_dataset.py (text trees, logs, JSON, large binaries half
#    incompressible, duplicates and shifted duplicate regions, a sparse file, symlinks, hard links).
# 2. Per tool: initial backup, repository size; then mutates ~2% of the data; incremental backup and
#    the bytes it added; a no-change backup; a full restore checked against the source by a hash
#    listing. Each timed step runs under /usr/bin/time (wall seconds, max RSS) after the page cache
#    is dropped (when root).
# 3. Mounts: bindfs of the source (the FUSE limit of a C passthrough), strata mount, restic mount,
#    borg mount: time until ready, find | wc -l, tar of the whole tree twice (caches dropped before
#    the first pass only), dd of the largest file, RSS of the mount process.
# 4. Writes one markdown report (default target/bench-results/backup-bench.md) and prints it.
#
# Settings: encryption on everywhere (restic's default, borg repokey-blake2, Strata's default);
# compression restic auto, borg zstd,3, Strata default (zstd 3). Passwords come from the environment
# (BENCH_PASSWORD, default a fixed test password); every cache lives inside the work folder.
# Missing Debian packages (restic, borgbackup, bindfs, fuse, libfuse2, python3-llfuse, time,
# libargon2-1) are installed with apt-get when running as root. Strata is built with `mvn package`
# (never install) and run through the ./strata launcher.
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"

size=1G
seed=42
tools="strata restic borg"
do_mount=1
keep=0
work="$root/target/bench-work"
results="$root/target/bench-results"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --tools) tools="$2"; shift 2 ;;
        --no-mount) do_mount=0; shift ;;
        --work) work="$2"; shift 2 ;;
        --results) results="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "backup-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
work="$(mkdir -p "$work" && cd "$work" && pwd)"
results="$(mkdir -p "$results" && cd "$results" && pwd)"

data="$work/data"
repos="$work/repos"
logs="$results/logs"
report="$results/backup-bench.md"
raw="$results/backup-bench.tsv"

say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Packages and the Strata build

ensure_packages() {
    local missing=()
    command -v restic >/dev/null || missing+=(restic)
    command -v borg >/dev/null || missing+=(borgbackup)
    command -v bindfs >/dev/null || missing+=(bindfs)
    command -v fusermount >/dev/null || missing+=(fuse)
    { ldconfig -p 2>/dev/null | grep -q 'libfuse.so.2'; } || missing+=(libfuse2)
    [ -x /usr/bin/time ] || missing+=(time)
    command -v python3 >/dev/null || missing+=(python3)
    # borg mount needs llfuse (or pyfuse3) for the python borg runs under.
    if command -v borg >/dev/null; then
        local py; py="$(head -1 "$(command -v borg)" | sed -n 's/^#! *//p' | awk '{print $1}')"
        "${py:-python3}" -c 'import llfuse' 2>/dev/null || "${py:-python3}" -c 'import pyfuse3' 2>/dev/null \
            || missing+=(python3-llfuse)
    else
        missing+=(python3-llfuse)
    fi
    # Strata's key derivation uses the system's libargon2 when present (else a slower Java one).
    { ldconfig -p 2>/dev/null | grep -q 'libargon2.so.1'; } || missing+=(libargon2-1)
    command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null || missing+=(maven)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]} (apt-get)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "missing: ${missing[*]}; install them (apt-get install -y ${missing[*]}) and run again"
    fi
}

jar="$root/tools/target/strata.jar"
# Builds the jar the ./strata launcher runs, with `mvn package` (the launcher itself would run
# `mvn install`, which writes into the shared ~/.m2), then marks it newer than every source so the
# launcher runs it as it is.
build_strata() {
    if [ ! -f "$jar" ] || [ -n "$(find "$root" \( -path '*/target' -o -path '*/.git' \) -prune -o \
            \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit)" ]; then
        say "building Strata (mvn package -pl tools -am; nothing is installed into ~/.m2)"
        (cd "$root" && mvn -B -q -DskipTests package -pl tools -am) >"$logs/build.log" 2>&1 \
            || { tail -n 40 "$logs/build.log" >&2; die "Strata build failed (log: $logs/build.log)"; }
    fi
    touch "$jar"
}
# Strata runs through its launcher, with the JVM options users get (STRATA_JAVA_OPTS adds more).
STRATA=("$root/strata")

# ---------------------------------------------------------------------------------------------
# Environment: passwords, repositories and caches inside the work folder

export BENCH_PASSWORD="${BENCH_PASSWORD:-strata-bench-password}"
export STRATA_PASSWORD="$BENCH_PASSWORD" RESTIC_PASSWORD="$BENCH_PASSWORD" BORG_PASSPHRASE="$BENCH_PASSWORD"
export STRATA_REPO="$repos/strata" RESTIC_REPOSITORY="$repos/restic" BORG_REPO="$repos/borg"
export STRATA_CACHE_DIR="$work/cache/strata" RESTIC_CACHE_DIR="$work/cache/restic" BORG_BASE_DIR="$work/cache/borg"
export BORG_DISPLAY_PASSPHRASE=n BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
unset STRATA_PASSWORD_FILE RESTIC_PASSWORD_FILE RESTIC_PASSWORD_COMMAND BORG_PASSCOMMAND 2>/dev/null || true

declare -A R=()   # results: R[tool.metric]=value
put() { R["$1"]="$2"; printf '%s\t%s\n' "$1" "$2" >>"$raw"; }
get() { printf '%s' "${R[$1]:-}"; }

dropped=no
drop_caches() {
    sync
    if [ "$(id -u)" -eq 0 ] && { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
        dropped=yes
    fi
}

now_ns() { date +%s%N; }
secs_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print ""; else printf "%.2f", a / b }'; }

# ---------------------------------------------------------------------------------------------
# The three backup tools, behind one set of verbs

tool_init() {
    case "$1" in
        strata) "${STRATA[@]}" init ;;
        restic) restic init --repository-version 2 ;;
        borg) borg init --encryption repokey-blake2 ;;
    esac
}

# backup_cmd TOOL N: sets CMD to the command that saves $data as the N-th snapshot (run in $work).
backup_cmd() {
    case "$1" in
        strata) CMD=("${STRATA[@]}" backup --json "$data") ;;
        restic) CMD=(restic backup --compression auto "$data") ;;
        # borg stores paths as given: it saves "data" from the work folder.
        borg) CMD=(borg create --compression zstd,3 --stats "::snap-$2" data) ;;
    esac
}

# restore_cmd TOOL DIR: sets CMD (run in DIR) to restore the latest snapshot into DIR, and
# RESTORED to where the data folder's contents land.
restore_cmd() {
    case "$1" in
        strata) CMD=("${STRATA[@]}" restore "latest:$data" -t "$2"); RESTORED="$2" ;;
        restic) CMD=(restic restore latest --target "$2"); RESTORED="$2$data" ;;
        borg) CMD=(borg extract "::snap-3"); RESTORED="$2/data" ;;
    esac
}

# timed NAME DIR COMMAND...: runs COMMAND in DIR after dropping caches; sets T_SECS and T_RSS_KB;
# its output goes to $logs/NAME.{out,err,time}.
timed() {
    local name="$1" dir="$2"; shift 2
    drop_caches
    if (cd "$dir" && /usr/bin/time -f '%e %M' -o "$logs/$name.time" "$@" >"$logs/$name.out" 2>"$logs/$name.err"); then
        read -r T_SECS T_RSS_KB < <(tail -n 1 "$logs/$name.time")
        return 0
    fi
    T_SECS=""; T_RSS_KB=""
    say "$name failed; last lines of $logs/$name.err:"
    tail -n 5 "$logs/$name.err" >&2
    return 1
}
rss_mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }'; }

repo_bytes() { du -sb "$repos/$1" | cut -f1; }

# The restore check: every regular file's hash, every symlink's target, every folder.
listing() {
    (cd "$1" && {
        find . -type f -print0 | sort -z | xargs -0 -r sha256sum
        find . -type l -printf 'L %p -> %l\n' | sort
        find . -type d -printf 'D %p\n' | sort
    })
}
# Hard links as groups of paths sharing an inode.
link_groups() {
    (cd "$1" && find . -type f -links +1 -printf '%i %p\n' | sort -k2 \
        | awk '{ g[$1] = g[$1] " " $2 } END { for (k in g) print g[k] }' | sort)
}

# ---------------------------------------------------------------------------------------------
# Mounts

mounted=()      # mount points to release on exit
mount_pids=()   # processes we started

release_mount() {
    local mp="$1" pid="${2:-}" i
    if mountpoint -q "$mp" 2>/dev/null; then
        fusermount -u "$mp" 2>/dev/null || { sleep 1; fusermount -u "$mp" 2>/dev/null; } || fusermount -uz "$mp" 2>/dev/null || true
    fi
    if [ -n "$pid" ]; then
        for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            say "mount process $pid still running 10 s after unmount; sending SIGTERM"
            kill -TERM "$pid" 2>/dev/null || true
            sleep 2
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    fi
    if mountpoint -q "$mp" 2>/dev/null; then fusermount -uz "$mp" 2>/dev/null || true; fi
}

cleanup() {
    local i
    for i in "${!mounted[@]}"; do release_mount "${mounted[$i]}" "${mount_pids[$i]:-}"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

strata_can_mount() {
    "${STRATA[@]}" help mount >/dev/null 2>&1
}

# start_mount TOOL LOG: mounts TOOL's latest snapshot (bindfs: the source) in the foreground, in the
# background of this shell; waits until it is ready. Sets MPID, MTREE (the data folder's contents in
# the mount) and MREADY (seconds from start to ready).
start_mount() {
    local tool="$1" log="$2" mp="$work/mnt/$1" marker i start
    mkdir -p "$mp"
    if mountpoint -q "$mp"; then fusermount -uz "$mp"; fi
    start="$(now_ns)"
    case "$tool" in
        bindfs) bindfs -f "$data" "$mp" >"$log" 2>&1 & MPID=$! ;;
        strata) "${STRATA[@]}" mount "$mp" >"$log" 2>&1 & MPID=$! ;;
        restic) restic mount "$mp" >"$log" 2>&1 & MPID=$! ;;
        borg) borg mount -f "::snap-3" "$mp" >"$log" 2>&1 & MPID=$! ;;
    esac
    mounted+=("$mp"); mount_pids+=("$MPID")
    # Ready when the entry folder each tool documents exists.
    MTREE=""
    for i in $(seq 1 30000); do
        case "$tool" in
            bindfs) if mountpoint -q "$mp" && [ -d "$mp/text" ]; then MTREE="$mp"; fi ;;
            strata) for marker in "$mp"/snapshots/*/latest; do if [ -d "$marker" ]; then MTREE="$marker"; fi; done ;;
            restic) if [ -d "$mp/snapshots/latest" ]; then MTREE="$mp/snapshots/latest$data"; fi ;;
            borg) if [ -d "$mp/data" ]; then MTREE="$mp/data"; fi ;;
        esac
        if [ -n "$MTREE" ]; then break; fi
        if ! kill -0 "$MPID" 2>/dev/null; then
            say "$tool mount exited before it was ready:"; tail -n 5 "$log" >&2; return 1
        fi
        sleep 0.02
    done
    if [ -z "$MTREE" ]; then say "$tool mount not ready after 10 minutes"; return 1; fi
    MREADY="$(secs_since "$start")"
}

stop_mount() {
    release_mount "${mounted[-1]}" "${mount_pids[-1]}"
    unset 'mounted[-1]' 'mount_pids[-1]'
}

# mount_bench TOOL: two mounts; the first for find, two tar passes and the RSS, a fresh one for dd of
# the largest file (so no tool reads it from its own cache warmed by tar). Results: R[TOOL.mount.*].
mount_bench() {
    local tool="$1" n secs tot pass start
    drop_caches
    start_mount "$tool" "$logs/mount-$tool.out" || return 1
    put "$tool.mount.ready" "$MREADY"
    say "$tool: mounted in $MREADY s; tree at ${MTREE#$work/}"

    start="$(now_ns)"
    n="$(cd "$MTREE" && find . 2>"$logs/mount-$tool.find.err" | wc -l)" || true
    put "$tool.mount.find" "$(secs_since "$start")"
    put "$tool.mount.count" "$n"

    for pass in 1 2; do
        if [ "$pass" = 1 ]; then drop_caches; fi
        start="$(now_ns)"
        if (cd "$MTREE" && tar --totals -cf - . 2>"$logs/mount-$tool.tar$pass.err" | cat >/dev/null); then
            secs="$(secs_since "$start")"
            tot="$(sed -n 's/^Total bytes written: \([0-9]*\).*/\1/p' "$logs/mount-$tool.tar$pass.err")"
            put "$tool.mount.tar$pass.s" "$secs"
            put "$tool.mount.tar$pass.bytes" "$tot"
            put "$tool.mount.tar$pass" "$(awk -v b="$tot" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
        else
            say "$tool: tar pass $pass failed:"; grep -v '^Total' "$logs/mount-$tool.tar$pass.err" | head -n 5 >&2
            put "$tool.mount.tar$pass" "error"
        fi
    done

    if [ -r "/proc/$MPID/status" ]; then
        put "$tool.mount.rss" "$(awk '/^VmRSS:/ { printf "%.1f", $2 * 1024 / 1e6 }' "/proc/$MPID/status")"
        put "$tool.mount.hwm" "$(awk '/^VmHWM:/ { printf "%.1f", $2 * 1024 / 1e6 }' "/proc/$MPID/status")"
    fi
    stop_mount

    drop_caches
    start_mount "$tool" "$logs/mount-$tool.dd-mount.out" || return 1
    drop_caches
    start="$(now_ns)"
    if dd if="$MTREE/$largest" of=/dev/null bs=1M 2>"$logs/mount-$tool.dd.err"; then
        secs="$(secs_since "$start")"
        put "$tool.mount.dd.s" "$secs"
        put "$tool.mount.dd" "$(awk -v b="$largest_bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
    else
        say "$tool: dd of $largest failed"; put "$tool.mount.dd" "error"
    fi
    stop_mount
    say "$tool: find $(get "$tool.mount.find") s ($n entries), tar $(get "$tool.mount.tar1") / $(get "$tool.mount.tar2") MB/s," \
        "dd $(get "$tool.mount.dd") MB/s, RSS $(get "$tool.mount.rss") MB (peak $(get "$tool.mount.hwm"))"
}

# ---------------------------------------------------------------------------------------------
# The run

mkdir -p "$logs"
: >"$raw"
run_started="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
ensure_packages
for t in $tools; do
    case "$t" in strata|restic|borg) ;; *) die "--tools takes strata, restic and borg, not '$t'" ;; esac
done
case " $tools " in *" strata "*) build_strata ;; esac

say "work folder $work; results $results"
for mp in "$work"/mnt/*; do
    if [ -d "$mp" ] && mountpoint -q "$mp"; then fusermount -uz "$mp"; fi
done
rm -rf "$data" "$repos" "$work/cache" "$work/restore" "$work/mnt"
mkdir -p "$repos" "$work/cache" "$work/restore"

gen=(python3 "$here/gen_dataset.py")
[ -x /usr/bin/python3 ] && gen=(/usr/bin/python3 "$here/gen_dataset.py")
say "generating the dataset (--size $size, --seed $seed)"
start="$(now_ns)"
"${gen[@]}" generate "$data" --size "$size" --seed "$seed"
say "generated in $(secs_since "$start") s"

describe_data() {
    put "data.$1.bytes" "$(du -sb "$data" | cut -f1)"
    put "data.$1.disk" "$(du -sB1 "$data" | cut -f1)"
    put "data.$1.files" "$(find "$data" -type f | wc -l)"
    put "data.$1.dirs" "$(find "$data" -type d | wc -l)"
    put "data.$1.links" "$(find "$data" -type l | wc -l)"
    put "data.$1.hardlinked" "$(find "$data" -type f -links +1 | wc -l)"
    put "data.$1.hash" "$(listing "$data" | sha256sum | cut -c1-16)"
}
describe_data gen

for t in $tools; do
    say "$t: init and initial backup"
    tool_init "$t" >"$logs/$t.init.out" 2>&1 || { tail -n 5 "$logs/$t.init.out" >&2; die "$t init failed"; }
    backup_cmd "$t" 1
    if timed "$t.initial" "$work" "${CMD[@]}"; then
        put "$t.initial" "$T_SECS"; put "$t.initial.rss" "$(rss_mb "$T_RSS_KB")"
    else
        put "$t.initial" "failed"
    fi
    put "$t.repo" "$(repo_bytes "$t")"
    say "$t: initial $(get "$t.initial") s, RSS $(get "$t.initial.rss") MB, repository $(mb "$(get "$t.repo")") MB"
done

say "mutating about 2% of the dataset"
"${gen[@]}" mutate "$data" --size "$size" --seed "$seed"
describe_data mut

for t in $tools; do
    backup_cmd "$t" 2
    if timed "$t.incremental" "$work" "${CMD[@]}"; then
        put "$t.incremental" "$T_SECS"; put "$t.incremental.rss" "$(rss_mb "$T_RSS_KB")"
    else
        put "$t.incremental" "failed"
    fi
    put "$t.repo2" "$(repo_bytes "$t")"
    put "$t.added" "$(( $(get "$t.repo2") - $(get "$t.repo") ))"
    say "$t: incremental $(get "$t.incremental") s, added $(mb "$(get "$t.added")") MB"
done

for t in $tools; do
    backup_cmd "$t" 3
    if timed "$t.nochange" "$work" "${CMD[@]}"; then
        put "$t.nochange" "$T_SECS"
    else
        put "$t.nochange" "failed"
    fi
    put "$t.repo3" "$(repo_bytes "$t")"
    say "$t: no-change backup $(get "$t.nochange") s"
done

want="$(listing "$data")"
want_links="$(link_groups "$data")"
for t in $tools; do
    out="$work/restore/$t"
    rm -rf "$out"; mkdir -p "$out"
    restore_cmd "$t" "$out"
    got_root="$RESTORED"
    if timed "$t.restore" "$out" "${CMD[@]}"; then
        put "$t.restore" "$T_SECS"
        if [ "$want" = "$(listing "$got_root" 2>/dev/null)" ]; then
            put "$t.restore.ok" "yes"
        else
            put "$t.restore.ok" "no"
            diff <(printf '%s\n' "$want") <(listing "$got_root" 2>/dev/null) >"$logs/$t.restore.diff" || true
            say "$t: restored tree differs from the source ($(grep -c '^[<>]' "$logs/$t.restore.diff") lines; $logs/$t.restore.diff)"
        fi
        if [ "$want_links" = "$(link_groups "$got_root" 2>/dev/null)" ]; then put "$t.restore.hardlinks" "yes"; else put "$t.restore.hardlinks" "no"; fi
    else
        put "$t.restore" "failed"; put "$t.restore.ok" "no"
    fi
    rm -rf "$out"
    say "$t: restore $(get "$t.restore") s, correct $(get "$t.restore.ok"), hard links kept $(get "$t.restore.hardlinks")"
done

mount_tools=()
if [ "$do_mount" = 1 ]; then
    read -r largest_bytes largest < <(cd "$data" && find . -type f -printf '%s %P\n' | sort -n | tail -n 1)
    put "data.largest" "$largest"; put "data.largest.bytes" "$largest_bytes"
    put "data.entries" "$(cd "$data" && find . | wc -l)"
    mount_tools=(bindfs)
    for t in $tools; do
        if [ "$t" = strata ] && ! strata_can_mount; then
            say "strata: this build has no 'strata mount' ('strata help mount' fails); skipping the Strata mount"
            put "strata.mount.skipped" "this build has no \`strata mount\` (\`strata help mount\` fails)"
            continue
        fi
        mount_tools+=("$t")
    done
    for t in "${mount_tools[@]}"; do
        say "$t: mount"
        mount_bench "$t" || put "$t.mount.failed" "yes"
    done
fi

# ---------------------------------------------------------------------------------------------
# The report

version_of() {
    case "$1" in
        strata) "${STRATA[@]}" --version 2>/dev/null | head -n 1 ;;
        restic) restic version | awk '{ print $2 }' ;;
        borg) borg --version | awk '{ print $2 }' ;;
        bindfs) bindfs --version 2>/dev/null | head -n 1 | awk '{ print $2 }' ;;
        java) java -version 2>&1 | head -n 1 | sed 's/.*version "\([^"]*\)".*/\1/' ;;
    esac
}
cell() { local v; v="$(get "$1")"; printf '%s' "${v:-–}"; }
mbcell() { local v; v="$(get "$1")"; if [[ "$v" =~ ^-?[0-9]+$ ]]; then mb "$v"; else printf '%s' "${v:-–}"; fi; }

goal_row() { # description, measured ratio, comparison (ge|le), threshold
    local d="$1" v="$2" op="$3" th="$4" verdict
    if [ -z "$v" ]; then
        verdict="not measured"; v="–"
    elif awk -v v="$v" -v t="$th" -v op="$op" 'BEGIN { exit !((op == "ge" && v >= t) || (op == "le" && v <= t)) }'; then
        verdict="**pass**"; v="${v}×"
    else
        verdict="**miss**"; v="${v}×"
    fi
    printf '| %s | %s | %s |\n' "$d" "$v" "$verdict"
}
num() { local v; v="$(get "$1")"; if [[ "$v" =~ ^[0-9.]+$ ]]; then printf '%s' "$v"; fi; }

{
    echo "# Backup and mount benchmark"
    echo
    echo "Run $run_started with \`tools/bench/backup-bench.sh --size $size --seed $seed\`" \
        "at commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo "**Machine.** $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), " \
        "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory, Linux $(uname -r)," \
        "work folder on $(df -T "$work" | awk 'NR == 2 { print $2 }')." \
        "Versions: restic $(version_of restic), borg $(version_of borg), bindfs $(version_of bindfs)," \
        "Java $(version_of java), $(version_of strata). Load average (1, 5, 15 min) at the start" \
        "$load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg): other work on the machine shows here."
    echo
    echo "**Dataset** (seed $seed): $(mb "$(get data.gen.bytes)") MB in $(get data.gen.files) files," \
        "$(get data.gen.dirs) folders, $(get data.gen.links) symlinks, $(get data.gen.hardlinked) hard-linked files" \
        "($(mb "$(get data.gen.disk)") MB on disk: one file is sparse). After the mutation:" \
        "$(mb "$(get data.mut.bytes)") MB in $(get data.mut.files) files (content hash of the listing" \
        "$(get data.gen.hash) → $(get data.mut.hash))."
    echo
    echo "**Settings.** Encryption on for all: restic repository v2 (AES-256 + Poly1305), compression auto;" \
        "borg repokey-blake2, compression zstd,3; Strata defaults (zstd 3; JVM options:" \
        "\`${STRATA_JAVA_OPTS:-none}\`). Passwords from the environment," \
        "caches inside the work folder. Page caches dropped before every timed step: **$dropped**" \
        "$( [ "$dropped" = yes ] && echo '(root: `sync; echo 3 > /proc/sys/vm/drop_caches`).' || echo '(not root: the caches were warm).')" \
        "Times are wall seconds from \`/usr/bin/time -f '%e %M'\`, RSS its max resident size;" \
        "MB = 10⁶ bytes. Repository sizes are \`du -sb\`; *added* is the growth of the repository" \
        "in the incremental backup. *Restore correct* compares a listing of sha256 of every file," \
        "every symlink target and every folder with the source's."
    echo
    echo "## Backup"
    echo
    echo "| tool | initial s | RSS MB | repo MB | incremental s | added MB | no-change s | restore s | restore correct | hard links kept |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
    for t in $tools; do
        echo "| $t | $(cell "$t.initial") | $(cell "$t.initial.rss") | $(mbcell "$t.repo") | $(cell "$t.incremental")" \
            "| $(mbcell "$t.added") | $(cell "$t.nochange") | $(cell "$t.restore") | $(cell "$t.restore.ok") | $(cell "$t.restore.hardlinks") |"
    done
    echo
    echo "Each figure as a ratio to restic's (below 1: smaller or faster than restic):"
    echo
    echo "| tool | initial | RSS | repo | incremental | added | no-change | restore |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for t in $tools; do
        row="| $t"
        for k in initial initial.rss repo incremental added nochange restore; do
            r="$(ratio "$(num "$t.$k")" "$(num "restic.$k")")"
            row="$row | ${r:-–}"
        done
        echo "$row |"
    done
    echo
    echo "## Goals (issue 3)"
    echo
    echo "| goal | measured | verdict |"
    echo "|---|---:|---|"
    goal_row "full backup ≤ 0.4× restic's time" "$(ratio "$(num strata.initial)" "$(num restic.initial)")" le 0.4
    goal_row "repository no larger than restic's" "$(ratio "$(num strata.repo)" "$(num restic.repo)")" le 1
    goal_row "incremental ≤ 0.4× restic's time" "$(ratio "$(num strata.incremental)" "$(num restic.incremental)")" le 0.4
    goal_row "incremental adds no more than restic" "$(ratio "$(num strata.added)" "$(num restic.added)")" le 1
    goal_row "restore ≤ 0.5× restic's time" "$(ratio "$(num strata.restore)" "$(num restic.restore)")" le 0.5
    goal_row "peak RSS ≤ 1.5× restic's" "$(ratio "$(num strata.initial.rss)" "$(num restic.initial.rss)")" le 1.5
    if [ "$do_mount" = 1 ]; then
        echo
        echo "## Mount"
        echo
        echo "Each tool mounts its latest snapshot (bindfs mounts the source folder itself: the FUSE limit of" \
            "a C passthrough). *find* is \`find . | wc -l\` right after the mount is ready" \
            "(the source has $(get data.entries) entries); *tar* is \`tar -cf - . | cat >/dev/null\` over the" \
            "whole tree, MB/s of tar's output, pass 1 after dropping the page cache" \
            "(dropped: $dropped), pass 2 straight after it; *dd* reads the largest file" \
            "(\`$(get data.largest)\`, $(mb "$(get data.largest.bytes)") MB, random data) with \`bs=1M\` on a second," \
            "fresh mount after dropping the page cache. RSS is the mount process's VmRSS after the two tar" \
            "passes (peak VmHWM in brackets). *Ready* is the time from starting the mount command until" \
            "its entry folder exists (strata: \`snapshots/*/latest\`, restic: \`snapshots/latest\`, borg: the" \
            "archive's \`data\`), polled every 20 ms; all mounts run in the foreground (\`borg mount -f\`)."
        echo
        echo "| tool | ready s | find s (count) | tar pass 1 MB/s | tar pass 2 MB/s | dd largest MB/s | RSS MB (peak) |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
        for t in bindfs strata restic borg; do
            case " bindfs $tools " in *" $t "*) ;; *) continue ;; esac
            if [ -n "$(get "$t.mount.skipped")" ]; then
                echo "| $t | skipped: $(get "$t.mount.skipped") | | | | | |"
                continue
            fi
            if [ -n "$(get "$t.mount.failed")" ] && [ -z "$(get "$t.mount.ready")" ]; then
                echo "| $t | failed (see logs/mount-$t.out) | | | | | |"
                continue
            fi
            echo "| $t | $(cell "$t.mount.ready") | $(cell "$t.mount.find") ($(cell "$t.mount.count")) | $(cell "$t.mount.tar1")" \
                "| $(cell "$t.mount.tar2") | $(cell "$t.mount.dd") | $(cell "$t.mount.rss") ($(cell "$t.mount.hwm")) |"
        done
        echo
        echo "## Goals (issue 4)"
        echo
        echo "| goal | measured | verdict |"
        echo "|---|---:|---|"
        goal_row "whole tree, fresh mount (tar pass 1) ≥ 3.5× restic" "$(ratio "$(num strata.mount.tar1)" "$(num restic.mount.tar1)")" ge 3.5
        goal_row "whole tree, fresh mount (tar pass 1) ≥ 0.9× bindfs" "$(ratio "$(num strata.mount.tar1)" "$(num bindfs.mount.tar1)")" ge 0.9
        goal_row "whole tree, second pass ≥ 5× restic" "$(ratio "$(num strata.mount.tar2)" "$(num restic.mount.tar2)")" ge 5
        goal_row "largest file (dd) ≥ 3× restic" "$(ratio "$(num strata.mount.dd)" "$(num restic.mount.dd)")" ge 3
        goal_row "find ≤ 0.25× restic's time" "$(ratio "$(num strata.mount.find)" "$(num restic.mount.find)")" le 0.25
        goal_row "RSS (peak) ≤ restic's" "$(ratio "$(num strata.mount.hwm)" "$(num restic.mount.hwm)")" le 1
    fi
    echo
    echo "Raw numbers: \`$(basename "$raw")\`; logs of every step: \`logs/\`."
} >"$report"

if [ "$keep" = 0 ]; then
    rm -rf "$data" "$repos" "$work/cache" "$work/restore" "$work/mnt"
fi
cat "$report"
say "report: $report"
