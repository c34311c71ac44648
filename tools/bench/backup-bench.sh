#!/usr/bin/env bash
# Backup, mount and disk-image benchmark: Strata against restic and Borg (and partclone for images) on
# one deterministic dataset, in one run.
#
#   tools/bench/backup-bench.sh [--size 1G] [--seed 42] [--tools "strata restic borg"] [--no-mount]
#                               [--no-image | --only-image | --only-cross] [--work DIR] [--results DIR] [--keep]
#
# 1. Generates a mixed dataset with gen_dataset.py (text trees, logs, JSON, large binaries half
#    incompressible, duplicates and shifted duplicate regions, a sparse file, symlinks, hard links).
# 2. Per tool: initial backup, repository size; then mutates ~2% of the data; incremental backup and
#    the bytes it added; a no-change backup; a full restore checked against the source by a hash
#    listing. Each timed step runs under /usr/bin/time (wall seconds, CPU seconds user + sys, max RSS)
#    after the page cache is dropped (when root). Strata's full backup, no-change backup and restore
#    run once more under `strace -f -c` (untimed) for their system calls per entry.
# 3. Mounts: bindfs of the source (the FUSE limit of a C passthrough), strata mount, restic mount,
#    borg mount: time until ready, find | wc -l, tar of the whole tree twice (caches dropped before
#    the first pass only), dd of the largest file, RSS of the mount process.
# 4. Disk images (--no-image skips them, --only-image runs only them): an ext4 image file of --size
#    bytes (at least 160 MiB), about half full, made with `mke2fs -d` from its own dataset
#    (gen_dataset.py, same seed, 43% of --size). Cross-dedup first: in fresh repositories, a file
#    backup of that folder, then an image of the filesystem holding it (what does the image add?).
#    Then per tool, each in a fresh repository: `strata image create` (also --used-only),
#    `restic backup --stdin`, `borg create` from stdin, partclone.ext4 -c (raw, and piped into
#    zstd -3); ~1% of the image changed in place with `debugfs -w` (image_change.py: new files,
#    rewritten and deleted small files; no mount, no rebuild); the incremental and the bytes it
#    added; a restore of the changed image, checked (sha256 of the whole image; for --used-only,
#    e2fsck and a hash listing of every file). --only-cross builds the image and runs only its
#    cross-dedup (Strata, Strata --used-only and restic; a few minutes, no partclone or borg).
# 5. Writes one markdown report (default target/bench-results/backup-bench.md) and prints it.
#
# Settings: encryption on everywhere (restic's default, borg repokey-blake2, Strata's default);
# compression restic auto, borg zstd,3, Strata default (zstd 3). Passwords come from the environment
# (BENCH_PASSWORD, default a fixed test password); every cache lives inside the work folder.
# Missing Debian packages (restic, borgbackup, bindfs, fuse, libfuse2, python3-llfuse, time,
# libargon2-1; for images e2fsprogs, partclone, zstd) are installed with apt-get when running as
# root. Strata is built with `mvn package` (never install) and run through the ./strata launcher.
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=bench-lib.sh
. "$here/bench-lib.sh"

size=1G
seed=42
tools="strata restic borg"
do_mount=1
do_backup=1
do_image=1
only_cross=0
keep=0
work="$root/target/bench-work"
results="$root/target/bench-results"

args="$*"
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --tools) tools="$2"; shift 2 ;;
        --no-mount) do_mount=0; shift ;;
        --no-image) do_image=0; shift ;;
        --only-image) do_backup=0; do_mount=0; do_image=1; shift ;;
        --only-cross) do_backup=0; do_mount=0; do_image=1; only_cross=1; shift ;;
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


# ---------------------------------------------------------------------------------------------
# Packages and the Strata build

ensure_packages() {
    local missing=()
    command -v restic >/dev/null || missing+=(restic)
    command -v borg >/dev/null || missing+=(borgbackup)
    [ "$do_mount" = 1 ] && { command -v bindfs >/dev/null || missing+=(bindfs); }
    command -v fusermount >/dev/null || missing+=(fuse)
    { ldconfig -p 2>/dev/null | grep -q 'libfuse.so.2'; } || missing+=(libfuse2)
    [ -x /usr/bin/time ] || missing+=(time)
    command -v python3 >/dev/null || missing+=(python3)
    case " $tools " in *" strata "*) [ "$do_backup" = 1 ] && { command -v strace >/dev/null || missing+=(strace); } ;; esac
    if [ "$do_image" = 1 ]; then
        local p
        for p in mke2fs debugfs dumpe2fs e2fsck; do
            command -v "$p" >/dev/null || { missing+=(e2fsprogs); break; }
        done
        [ "$only_cross" = 1 ] || command -v partclone.ext4 >/dev/null || missing+=(partclone)
        command -v zstd >/dev/null || missing+=(zstd)
    fi
    # borg mount needs llfuse (or pyfuse3) for the python borg runs under.
    if [ "$do_mount" = 0 ]; then
        :
    elif command -v borg >/dev/null; then
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

# timed NAME DIR COMMAND...: runs COMMAND in DIR after dropping caches; sets T_SECS, T_CPU (user +
# sys seconds) and T_RSS_KB, and records NAME.cpu and NAME.rss (MB); its output goes to
# $logs/NAME.{out,err,time}. Its input is the file T_STDIN when that is set (and T_STDIN is cleared).
timed() {
    local name="$1" dir="$2" input="${T_STDIN:-}"; shift 2
    T_STDIN=""
    drop_caches
    if (cd "$dir" && if [ -n "$input" ]; then exec <"$input"; fi && /usr/bin/time -f '%e %M %U %S' -o "$logs/$name.time" "$@" >"$logs/$name.out" 2>"$logs/$name.err"); then
        local user sys
        read -r T_SECS T_RSS_KB user sys < <(tail -n 1 "$logs/$name.time")
        T_CPU="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
        put "$name.cpu" "$T_CPU"
        put "$name.rss" "$(rss_mb "$T_RSS_KB")"
        return 0
    fi
    T_SECS=""; T_RSS_KB=""; T_CPU=""
    say "$name failed; last lines of $logs/$name.err:"
    tail -n 5 "$logs/$name.err" >&2
    return 1
}
rss_mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }'; }

# The system calls the syscall table shows, besides the total.
SYSCALLS="statx openat close read pread64 pwrite64 futex gettid sysinfo llistxattr ftruncate"

# syscalls NAME DIR COMMAND...: runs COMMAND in DIR under `strace -f -c` (untimed: strace slows it) and
# records NAME.total and NAME.<call> (calls, all threads and children) from its summary.
syscalls() {
    local name="$1" dir="$2" call n; shift 2
    if ! (cd "$dir" && strace -f -c -o "$logs/$name.strace" "$@" >"$logs/$name.out" 2>"$logs/$name.err"); then
        say "$name failed under strace; last lines of $logs/$name.err:"; tail -n 5 "$logs/$name.err" >&2
        return 1
    fi
    put "$name.total" "$(awk '$NF == "total" { print $4 }' "$logs/$name.strace")"
    for call in $SYSCALLS; do
        n="$(awk -v c="$call" '$NF == c { print ($4 ~ /^[0-9]+$/ ? $4 : $3) }' "$logs/$name.strace")"
        put "$name.$call" "${n:-0}"
    done
}

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

    if [ -r "/proc/$MPID/stat" ]; then
        # utime + stime of the mount process (fields 14 and 15 after the command name), in seconds.
        put "$tool.mount.cpu" "$(sed 's/^.*) //' "/proc/$MPID/stat" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($12 + $13) / hz }')"
    fi
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
# Disk images (issue 5): an ext4 image file about half full, its cross-dedup with a file backup,
# and per tool a full image, a ~1% change made inside it with debugfs, an incremental, a restore.

img="$work/img"
img_file="$img/disk.img"
img_src="$img/src"
img_ref="$img/ref"          # the changed image's files (debugfs rdump), for the --used-only check
img_uuid=5472a7a0-b3e1-4c2d-9e5f-000000000001   # fixed UUID and directory hash seed: same image every run
img_hash_seed=5472a7a0-b3e1-4c2d-9e5f-000000000002

# fs_used IMAGE: bytes of the ext4 filesystem's blocks in use (block count - free blocks, times block size).
fs_used() {
    dumpe2fs -h "$1" 2>/dev/null | awk -F: '/^Block count/ { c = $2 } /^Free blocks/ { f = $2 } /^Block size/ { b = $2 }
        END { printf "%.0f", (c - f) * b }'
}
describe_image() {
    put "image.$1.used" "$(fs_used "$img_file")"
    put "image.$1.allocated" "$(du -sB1 "$img_file" | cut -f1)"
    put "image.$1.sha256" "$(sha256sum "$img_file" | cut -c1-16)"
    if e2fsck -fn "$img_file" >"$logs/image.$1.fsck" 2>&1; then put "image.$1.fsck" "clean"; else put "image.$1.fsck" "errors"; fi
}

# The rows: each gets a fresh repository (or output folder) of its own.
image_rows() {
    local t
    for t in $tools; do
        case "$t" in strata) printf '%s\n' strata strata-used ;; *) printf '%s\n' "$t" ;; esac
    done
    printf '%s\n' partclone partclone-zstd
}
row_label() {
    case "$1" in
        strata) echo 'strata `image create`' ;;
        strata-used) echo 'strata `image create --used-only`' ;;
        restic) echo 'restic `backup --stdin`' ;;
        borg) echo 'borg `create` from stdin' ;;
        partclone) echo 'partclone.ext4 -c (raw)' ;;
        partclone-zstd) echo 'partclone.ext4 -c \| zstd -3' ;;
    esac
}

# img_env ROW REPO: sets ENVV to the `env` prefix that points ROW's tool at REPO.
img_env() {
    case "$1" in
        strata*) ENVV=(env "STRATA_REPO=$2") ;;
        restic) ENVV=(env "RESTIC_REPOSITORY=$2") ;;
        borg) ENVV=(env "BORG_REPO=$2") ;;
        *) ENVV=(env) ;;
    esac
}
img_init() { # ROW REPO
    img_env "$1" "$2"
    case "$1" in
        strata*) "${ENVV[@]}" "${STRATA[@]}" init ;;
        restic) "${ENVV[@]}" restic init --repository-version 2 ;;
        borg) "${ENVV[@]}" borg init --encryption repokey-blake2 ;;
        partclone*) mkdir -p "$2" ;;
    esac
}
# img_backup_cmd ROW REPO N IMAGE NAME: sets CMD (and T_STDIN) to save IMAGE as the N-th image NAME.
img_backup_cmd() {
    local row="$1" repo="$2" n="$3" src="$4" name="$5"
    img_env "$row" "$repo"
    case "$row" in
        strata) CMD=("${ENVV[@]}" "${STRATA[@]}" image create --json "$src" --name "$name") ;;
        strata-used) CMD=("${ENVV[@]}" "${STRATA[@]}" image create --json --used-only "$src" --name "$name") ;;
        restic) CMD=("${ENVV[@]}" restic backup --compression auto --stdin --stdin-filename disk.img); T_STDIN="$src" ;;
        borg) CMD=("${ENVV[@]}" borg create --compression zstd,3 --stats --stdin-name disk.img "::$name-$n" -); T_STDIN="$src" ;;
        partclone) CMD=(partclone.ext4 -c -q -s "$src" -O "$repo/disk-$n.pcl" -L "$logs/partclone-$n.log") ;;
        partclone-zstd) CMD=(bash -c 'set -o pipefail; partclone.ext4 -c -q -s "$1" -o - -L "$3" | zstd -3 -q -c >"$2"' \
            _ "$src" "$repo/disk-$n.pcl.zst" "$logs/partclone-zstd-$n.log") ;;
    esac
}
# img_restore_cmd ROW REPO OUT: sets CMD to write the latest image of ROW's repository into the file OUT.
img_restore_cmd() {
    local row="$1" repo="$2" out="$3"
    img_env "$row" "$repo"
    case "$row" in
        strata*) CMD=("${ENVV[@]}" "${STRATA[@]}" image restore bench --target "$out") ;;
        restic) CMD=("${ENVV[@]}" bash -c 'exec restic dump latest /disk.img >"$1"' _ "$out") ;;
        borg) CMD=("${ENVV[@]}" bash -c 'exec borg extract --stdout ::bench-2 >"$1"' _ "$out") ;;
        *) CMD=() ;;
    esac
}
dir_bytes() { du -sb "$1" | cut -f1; }
# strata_summary NAME KEY: a number from the JSON summary `strata image create --json` printed in step NAME.
strata_summary() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$logs/$1.out" 2>/dev/null | tail -n 1; }
put_summary() { # NAME KEY-PREFIX: records Strata's own bytesRead/bytesAdded/bytesStored of step NAME
    local k
    for k in bytesRead bytesAdded bytesStored; do put "$2.$k" "$(strata_summary "$1" "$k")"; done
}
# changed_blocks A B: bytes in the 4 KiB blocks that differ between two files of one size.
changed_blocks() {
    python3 -c '
import sys
n = 0
with open(sys.argv[1], "rb") as a, open(sys.argv[2], "rb") as b:
    while True:
        x, y = a.read(1 << 20), b.read(1 << 20)
        if not x and not y:
            break
        if x != y:
            n += sum(1 for i in range(0, max(len(x), len(y)), 4096) if x[i:i + 4096] != y[i:i + 4096])
print(n * 4096)' "$1" "$2"
}

image_build() {
    local mib fill start
    mib=$(( $(size_bytes "$size") / 1048576 ))
    [ "$mib" -ge 160 ] || mib=160
    fill=$(( mib * 43 / 100 ))
    [ "$fill" -ge 64 ] || fill=64
    img_bytes=$(( mib * 1048576 ))
    put "image.bytes" "$img_bytes"
    put "image.src.size" "${fill}M"
    mkdir -p "$img"
    say "image: generating its folder (gen_dataset.py --size ${fill}M --seed $seed)"
    "${gen[@]}" generate "$img_src" --size "${fill}M" --seed "$seed"
    put "image.src.bytes" "$(du -sb "$img_src" | cut -f1)"
    put "image.src.files" "$(find "$img_src" -type f | wc -l)"
    say "image: mke2fs -t ext4 -d of $(mb "$(get image.src.bytes)") MB into a $(mb "$img_bytes") MB image"
    start="$(now_ns)"
    truncate -s "$img_bytes" "$img_file"
    E2FSPROGS_FAKE_TIME=1704067200 mke2fs -q -F -t ext4 -b 4096 -L strata-bench -U "$img_uuid" \
        -E "hash_seed=$img_hash_seed,root_owner=0:0" -d "$img_src" "$img_file" >"$logs/image.mke2fs.out" 2>&1 \
        || { tail -n 5 "$logs/image.mke2fs.out" >&2; die "mke2fs failed"; }
    describe_image gen
    say "image: built in $(secs_since "$start") s; $(mb "$(get image.gen.used)") MB in use" \
        "($(awk -v u="$(get image.gen.used)" -v t="$img_bytes" 'BEGIN { printf "%.0f", 100 * u / t }')%), e2fsck $(get image.gen.fsck)"
}

# The ~1% change, in place: new files, rewritten and deleted small files, written by debugfs -w.
image_change() {
    local summary
    rm -rf "$img/change"
    summary="$(python3 "$here/image_change.py" "$img_src" "$img/change" --image-bytes "$img_bytes" --seed "$seed")" \
        || die "image_change.py failed"
    put "image.change" "$summary"
    if ! debugfs -w -f "$img/change/debugfs.cmd" "$img_file" >"$logs/image.debugfs.out" 2>&1 \
            || grep -qiE 'error|not found|could not|failed' "$logs/image.debugfs.out"; then
        grep -iE 'error|not found|could not|failed' "$logs/image.debugfs.out" | head -n 5 >&2
        die "debugfs could not change the image (log: $logs/image.debugfs.out)"
    fi
    describe_image mut
    put "image.changed.bytes" "$(changed_blocks "$img/pristine.img" "$img_file")"
    say "image: changed ($summary); $(mb "$(get image.mut.used)") MB in use, e2fsck $(get image.mut.fsck)"
}

# Cross-dedup: a file backup of the folder, then an image of the filesystem holding it, in one fresh
# repository; what the image adds. For strata, strata --used-only and restic.
image_cross() {
    local row repo r0 r1 r2 src_cmd
    for row in $(image_rows); do
        case "$row" in strata|strata-used|restic) ;; *) continue ;; esac
        repo="$img/repos/cross-$row"
        img_init "$row" "$repo" >"$logs/image.cross.$row.init.out" 2>&1 \
            || { tail -n 5 "$logs/image.cross.$row.init.out" >&2; die "$row init failed"; }
        r0="$(dir_bytes "$repo")"
        img_env "$row" "$repo"
        case "$row" in
            strata*) src_cmd=("${ENVV[@]}" "${STRATA[@]}" backup --json "$img_src") ;;
            restic) src_cmd=("${ENVV[@]}" restic backup --compression auto "$img_src") ;;
        esac
        if timed "image.cross.$row.folder" "$img" "${src_cmd[@]}"; then put "image.cross.$row.folder.s" "$T_SECS"; fi
        r1="$(dir_bytes "$repo")"
        img_backup_cmd "$row" "$repo" 1 "$img_file" cross
        if timed "image.cross.$row.image" "$img" "${CMD[@]}"; then put "image.cross.$row.image.s" "$T_SECS"; else put "image.cross.$row.failed" yes; fi
        r2="$(dir_bytes "$repo")"
        case "$row" in strata*) put_summary "image.cross.$row.image" "image.cross.$row.image" ;; esac
        put "image.cross.$row.folder" "$(( r1 - r0 ))"
        put "image.cross.$row.image" "$(( r2 - r1 ))"
        say "image cross-dedup, $row: folder stored $(mb "$(( r1 - r0 ))") MB, then the image added $(mb "$(( r2 - r1 ))") MB"
        rm -rf "$repo"
    done
}

image_section() {
    local row repo r0 r1 r2 out want
    image_build
    image_cross
    [ "$only_cross" = 0 ] || return 0
    cp --sparse=always "$img_file" "$img/pristine.img"

    for row in $(image_rows); do
        repo="$img/repos/$row"
        img_init "$row" "$repo" >"$logs/image.$row.init.out" 2>&1 \
            || { tail -n 5 "$logs/image.$row.init.out" >&2; die "$row init failed"; }
        r0="$(dir_bytes "$repo")"
        img_backup_cmd "$row" "$repo" 1 "$img_file" bench
        if timed "image.$row.full" "$img" "${CMD[@]}"; then
            put "image.$row.full" "$T_SECS"; put "image.$row.full.rss" "$(rss_mb "$T_RSS_KB")"
        else
            put "image.$row.full" "failed"
        fi
        r1="$(dir_bytes "$repo")"
        case "$row" in strata*) put_summary "image.$row.full" "image.$row.full" ;; esac
        put "image.$row.r0" "$r0"
        put "image.$row.stored" "$(( r1 - r0 ))"
        say "image, $row: full $(get "image.$row.full") s, RSS $(get "image.$row.full.rss") MB, stored $(mb "$(get "image.$row.stored")") MB"
    done

    image_change
    rm -f "$img/pristine.img"

    for row in $(image_rows); do
        repo="$img/repos/$row"
        case "$row" in partclone*) continue ;; esac
        img_backup_cmd "$row" "$repo" 2 "$img_file" bench
        if timed "image.$row.incremental" "$img" "${CMD[@]}"; then
            put "image.$row.incremental" "$T_SECS"; put "image.$row.incremental.rss" "$(rss_mb "$T_RSS_KB")"
        else
            put "image.$row.incremental" "failed"
        fi
        r2="$(dir_bytes "$repo")"
        case "$row" in strata*) put_summary "image.$row.incremental" "image.$row.incremental" ;; esac
        put "image.$row.added" "$(( r2 - $(get "image.$row.r0") - $(get "image.$row.stored") ))"
        say "image, $row: incremental $(get "image.$row.incremental") s, added $(mb "$(get "image.$row.added")") MB"
    done

    want="$(sha256sum "$img_file" | cut -d' ' -f1)"
    for row in $(image_rows); do
        repo="$img/repos/$row"
        out="$img/restored.img"
        img_restore_cmd "$row" "$repo" "$out"
        [ ${#CMD[@]} -gt 0 ] || continue
        rm -f "$out"
        if timed "image.$row.restore" "$img" "${CMD[@]}"; then
            put "image.$row.restore" "$T_SECS"
            if [ "$row" = strata-used ]; then
                # Free blocks restore as zeros: the check is e2fsck plus every file, link and folder.
                if [ ! -d "$img_ref" ]; then
                    mkdir -p "$img_ref"; debugfs -R "rdump / $img_ref" "$img_file" >"$logs/image.rdump-ref.out" 2>&1 || true
                fi
                mkdir -p "$img/got"
                debugfs -R "rdump / $img/got" "$out" >"$logs/image.rdump-$row.out" 2>&1 || true
                if e2fsck -fn "$out" >"$logs/image.$row.restore.fsck" 2>&1 \
                        && [ "$(listing "$img_ref")" = "$(listing "$img/got")" ]; then
                    put "image.$row.restore.ok" "yes (e2fsck clean, every file the same)"
                else
                    put "image.$row.restore.ok" "no"
                    diff <(listing "$img_ref") <(listing "$img/got") >"$logs/image.$row.restore.diff" || true
                fi
                rm -rf "$img/got"
            elif [ "$(sha256sum "$out" | cut -d' ' -f1)" = "$want" ]; then
                put "image.$row.restore.ok" "yes (sha256 of the image)"
            else
                put "image.$row.restore.ok" "no"
                cmp "$img_file" "$out" >"$logs/image.$row.restore.cmp" 2>&1 || true
            fi
        else
            put "image.$row.restore" "failed"; put "image.$row.restore.ok" "no"
        fi
        rm -f "$out"
        say "image, $row: restore $(get "image.$row.restore") s, correct $(get "image.$row.restore.ok")"
    done
    rm -rf "$img_ref"
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
[ "$do_backup" = 1 ] || [ "$do_image" = 1 ] || die "--no-image with --only-image leaves nothing to run"
case " $tools " in *" strata "*) build_strata ;; esac

say "work folder $work; results $results"
for mp in "$work"/mnt/*; do
    if [ -d "$mp" ] && mountpoint -q "$mp"; then fusermount -uz "$mp"; fi
done
rm -rf "$data" "$repos" "$work/cache" "$work/restore" "$work/mnt" "$work/img"
mkdir -p "$repos" "$work/cache" "$work/restore"

gen=("$PY" "$here/gen_dataset.py")

describe_data() {
    put "data.$1.bytes" "$(du -sb "$data" | cut -f1)"
    put "data.$1.disk" "$(du -sB1 "$data" | cut -f1)"
    put "data.$1.files" "$(find "$data" -type f | wc -l)"
    put "data.$1.dirs" "$(find "$data" -type d | wc -l)"
    put "data.$1.links" "$(find "$data" -type l | wc -l)"
    put "data.$1.hardlinked" "$(find "$data" -type f -links +1 | wc -l)"
    put "data.$1.hash" "$(listing "$data" | sha256sum | cut -c1-16)"
}
if [ "$do_backup" = 1 ]; then
    say "generating the dataset (--size $size, --seed $seed)"
    start="$(now_ns)"
    "${gen[@]}" generate "$data" --size "$size" --seed "$seed"
    say "generated in $(secs_since "$start") s"

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

    # Strata's system calls per entry: a full backup into a repository of its own, a no-change backup, a
    # restore into an empty folder, each once more under strace -f -c.
    case " $tools " in *" strata "*)
        put "data.mut.entries" "$(cd "$data" && find . | wc -l)"
        say "strata: system calls (strace -f -c) of a backup, a no-change backup and a restore"
        sysrepo="$repos/strata-syscalls"
        if STRATA_REPO="$sysrepo" "${STRATA[@]}" init >"$logs/strata.sys.init.out" 2>&1; then
            STRATA_REPO="$sysrepo" syscalls strata.sys.backup "$work" "${STRATA[@]}" backup "$data" || true
            STRATA_REPO="$sysrepo" syscalls strata.sys.nochange "$work" "${STRATA[@]}" backup "$data" || true
            rm -rf "$work/restore/strata-sys"; mkdir -p "$work/restore/strata-sys"
            STRATA_REPO="$sysrepo" syscalls strata.sys.restore "$work/restore/strata-sys" \
                "${STRATA[@]}" restore "latest:$data" -t "$work/restore/strata-sys" || true
            rm -rf "$work/restore/strata-sys" "$sysrepo"
        fi
        ;;
    esac

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
fi

if [ "$do_image" = 1 ]; then
    image_section
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
        partclone) partclone.ext4 -v 2>&1 | grep -o 'v[0-9][0-9.]*' | head -n 1 ;;
        e2fsprogs) mke2fs -V 2>&1 | head -n 1 | awk '{ print $2 }' ;;
        zstd) zstd -V | grep -o 'v[0-9][0-9.]*' | head -n 1 ;;
    esac
}
cell() { local v; v="$(get "$1")"; printf '%s' "${v:-–}"; }
mbcell() { local v; v="$(get "$1")"; if [[ "$v" =~ ^-?[0-9]+$ ]]; then mb "$v"; else printf '%s' "${v:-–}"; fi; }

num() { local v; v="$(get "$1")"; if [[ "$v" =~ ^[0-9.]+$ ]]; then printf '%s' "$v"; fi; }
per_entry() { awk -v n="$1" -v e="$2" 'BEGIN { if (n == "" || e == "" || e + 0 == 0) print "–"; else printf "%.2f", n / e }'; }

change_kv() { get image.change | tr ' ' '\n' | sed -n "s/^$1=//p"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.1f%%", 100 * a / b }'; }
# The cross-dedup table and its goal (issue 13): the image adds at most 5% of the folder's size.
cross_report() {
    local row used folder
    used="$(get image.gen.used)"; folder="$(get image.src.bytes)"
    echo
    echo "### Cross-dedup"
    echo
    echo "In a fresh repository: a file backup of the folder the image was made from" \
        "($(mb "$folder") MB in $(get image.src.files) files, \`du -sb\`), then the image of the filesystem holding it" \
        "($(mb "$used") MB in use). *Image added* is the repository's growth from the image; *alone* is what" \
        "the same image stored in an empty repository (the table above; not measured with --only-cross)."
    echo
    echo "| tool | folder backup s | folder stored MB | image s | image added MB | added / folder | added / in use | added / alone |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for row in $(image_rows); do
        case "$row" in strata|strata-used|restic) ;; *) continue ;; esac
        echo "| $(row_label "$row") | $(cell "image.cross.$row.folder.s") | $(mbcell "image.cross.$row.folder")" \
            "| $(cell "image.cross.$row.image.s") | $(mbcell "image.cross.$row.image") | $(pct "$(num "image.cross.$row.image")" "$folder")" \
            "| $(pct "$(num "image.cross.$row.image")" "$used") | $(pct "$(num "image.cross.$row.image")" "$(num "image.$row.stored")") |"
    done
    case " $(image_rows | tr '\n' ' ') " in
        *" strata-used "*)
            echo
            echo "| goal | measured | verdict |"
            echo "|---|---:|---|"
            goal_row "image create --used-only after a file backup of its files: adds ≤ 0.05× the folder's size" \
                "$(awk -v a="$(num image.cross.strata-used.image)" -v b="$folder" \
                    'BEGIN { if (a != "" && b + 0 > 0) printf "%.3f", a / b }')" le 0.05 ;;
    esac
}

image_report() {
    local row ib used
    ib="$(get image.bytes)"; used="$(get image.gen.used)"
    if [ "$only_cross" = 1 ]; then
        echo
        echo "## Disk images: cross-dedup"
        echo
        echo "An ext4 image file of $(mb "$ib") MB ($(( ib / 1048576 )) MiB), made with" \
            "\`mke2fs -t ext4 -b 4096 -d FOLDER\` (fixed UUID, directory hash seed and creation time) from its" \
            "own dataset (\`gen_dataset.py --size $(get image.src.size) --seed $seed\`); $(mb "$used") MB of it in use" \
            "($(pct "$used" "$ib"), e2fsck $(get image.gen.fsck))."
        cross_report
        return 0
    fi
    echo
    echo "## Disk images (issue 5)"
    echo
    echo "An ext4 image file of $(mb "$ib") MB ($(( ib / 1048576 )) MiB), made with" \
        "\`mke2fs -t ext4 -b 4096 -d FOLDER\` (fixed UUID, directory hash seed and creation time) from its" \
        "own dataset (\`gen_dataset.py --size $(get image.src.size) --seed $seed\`: $(mb "$(get image.src.bytes)") MB" \
        "in $(get image.src.files) files); $(mb "$used") MB of it in use ($(pct "$used" "$ib"), e2fsck $(get image.gen.fsck))," \
        "the rest never written (zeros). Each tool saves it into a fresh repository with the settings above:" \
        "Strata \`strata image create disk.img --name bench\` (and with \`--used-only\`, which reads only the" \
        "blocks ext4 marks as used and stores the rest as holes), restic" \
        "\`restic backup --stdin --stdin-filename disk.img < disk.img\`, borg" \
        "\`borg create --stdin-name disk.img ::bench-1 - < disk.img\`. partclone.ext4 \`-c\` writes its own" \
        "format with the used blocks only (no dedup, no encryption, no incremental): shown raw and piped" \
        "through \`zstd -3\`, for reference; the goals compare Strata with restic. *stored* is the" \
        "repository's growth (partclone: its output file)."
    echo
    echo "Then ~1% of the image is changed in place with \`debugfs -w\` (no mount, no rebuild;" \
        "\`tools/bench/image_change.py\`: $(change_kv added_files) new files under \`/bench-change\` (code-like text" \
        "and one random binary), $(change_kv rewritten) small text files rewritten ($(mb "$(change_kv rewritten_bytes)") MB)," \
        "$(change_kv deleted) deleted; $(mb "$(change_kv new_bytes)") MB of new file content in all)," \
        "which changes $(mb "$(get image.changed.bytes)") MB of 4 KiB blocks (metadata included; $(mb "$(get image.mut.used)") MB" \
        "in use after it, e2fsck $(get image.mut.fsck)); *added* is the repository's growth in the second save." \
        "*Restore* writes the changed image back to a file (\`strata image restore bench --target FILE\`," \
        "\`restic dump latest /disk.img\`, \`borg extract --stdout\`) and compares its sha256 with the image's;" \
        "the \`--used-only\` one (free blocks come back as zeros) is checked with \`e2fsck -fn\` and a sha256" \
        "listing of every file, symlink and folder in it (\`debugfs rdump\`)."
    echo
    echo "| tool | full s | CPU s | RSS MB | stored MB | incremental s | CPU s | added MB | restore s | CPU s | RSS MB | restore correct |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for row in $(image_rows); do
        case "$row" in
            partclone*) echo "| $(row_label "$row") | $(cell "image.$row.full") | $(cell "image.$row.full.cpu") | $(cell "image.$row.full.rss")" \
                "| $(mbcell "image.$row.stored") | n/a | n/a | n/a | – | – | – | – |" ;;
            *) echo "| $(row_label "$row") | $(cell "image.$row.full") | $(cell "image.$row.full.cpu") | $(cell "image.$row.full.rss") | $(mbcell "image.$row.stored")" \
                "| $(cell "image.$row.incremental") | $(cell "image.$row.incremental.cpu") | $(mbcell "image.$row.added")" \
                "| $(cell "image.$row.restore") | $(cell "image.$row.restore.cpu") | $(cell "image.$row.restore.rss") | $(cell "image.$row.restore.ok") |" ;;
        esac
    done
    cross_report
    echo
    echo "### Goals (issue 5)"
    echo
    echo "| goal | measured | verdict |"
    echo "|---|---:|---|"
    for row in strata strata-used; do
        case " $(image_rows | tr '\n' ' ') " in *" $row "*) ;; *) continue ;; esac
        local l; l="$( [ "$row" = strata ] && echo 'image create' || echo 'image create --used-only')"
        goal_row "$l: full image time ≤ 0.5× restic's" "$(ratio "$(num "image.$row.full")" "$(num image.restic.full)")" le 0.5
        goal_row "$l: stored ≤ restic's" "$(ratio "$(num "image.$row.stored")" "$(num image.restic.stored)")" le 1
        goal_row "$l: bytes added by the incremental after ~1% change ≤ restic's" \
            "$(ratio "$(num "image.$row.added")" "$(num image.restic.added)")" le 1
    done
}

shown="--size $size --seed $seed"
[ "$tools" = "strata restic borg" ] || shown="$shown --tools \"$tools\""
[ "$do_backup" = 1 ] && [ "$do_mount" = 0 ] && shown="$shown --no-mount"
[ "$do_backup" = 1 ] && [ "$do_image" = 0 ] && shown="$shown --no-image"
[ "$do_backup" = 0 ] && [ "$only_cross" = 0 ] && shown="$shown --only-image"
[ "$only_cross" = 1 ] && shown="$shown --only-cross"
title="Backup, mount and disk-image benchmark"
[ "$do_image" = 1 ] || title="Backup and mount benchmark"
[ "$do_backup" = 1 ] || title="Disk-image benchmark"
{
    echo "# $title"
    echo
    echo "Run $run_started with \`tools/bench/backup-bench.sh $shown\`" \
        "at commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo "**Machine.** $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), " \
        "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory, Linux $(uname -r)," \
        "work folder on $(df -T "$work" | awk 'NR == 2 { print $2 }')." \
        "Versions: restic $(version_of restic), borg $(version_of borg),$( [ "$do_mount" = 1 ] && echo " bindfs $(version_of bindfs),")" \
        "Java $(version_of java), $(version_of strata)$( [ "$do_image" = 1 ] && echo ", partclone $(version_of partclone), e2fsprogs $(version_of e2fsprogs), zstd $(version_of zstd)")." \
        "Load average (1, 5, 15 min) at the start" \
        "$load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg): other work on the machine shows here."
    echo
    if [ "$do_backup" = 1 ]; then
        echo "**Dataset** (seed $seed): $(mb "$(get data.gen.bytes)") MB in $(get data.gen.files) files," \
            "$(get data.gen.dirs) folders, $(get data.gen.links) symlinks, $(get data.gen.hardlinked) hard-linked files" \
            "($(mb "$(get data.gen.disk)") MB on disk: one file is sparse). After the mutation:" \
            "$(mb "$(get data.mut.bytes)") MB in $(get data.mut.files) files (content hash of the listing" \
            "$(get data.gen.hash) → $(get data.mut.hash))."
        echo
    fi
    echo "**Settings.** Encryption on for all: restic repository v2 (AES-256 + Poly1305), compression auto;" \
        "borg repokey-blake2, compression zstd,3; Strata defaults (zstd 3; JVM options:" \
        "\`${STRATA_JAVA_OPTS:-none}\`). Passwords from the environment," \
        "caches inside the work folder. Page caches dropped before every timed step: **$dropped**" \
        "$( [ "$dropped" = yes ] && echo '(root: `sync; echo 3 > /proc/sys/vm/drop_caches`).' || echo '(not root: the caches were warm).')" \
        "Times are wall seconds from \`/usr/bin/time -f '%e %M %U %S'\`, RSS its max resident size," \
        "CPU seconds its user + sys time (all threads and waited-for children);" \
        "MB = 10⁶ bytes. Repository sizes are \`du -sb\` (growth from the empty repository);" \
        "*added* is the growth of the repository in the incremental backup." \
        "$( [ "$do_backup" = 1 ] && echo "*Restore correct* compares a listing of sha256 of every file," \
            "every symlink target and every folder with the source's.")"
    echo
    if [ "$do_backup" = 1 ]; then
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
        echo "CPU seconds (user + sys, all threads and children) and peak RSS of every step:"
        echo
        echo "| tool | initial CPU s | RSS MB | incremental CPU s | RSS MB | no-change CPU s | RSS MB | restore CPU s | RSS MB |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        for t in $tools; do
            row="| $t"
            for k in initial incremental nochange restore; do
                row="$row | $(cell "$t.$k.cpu") | $(cell "$t.$k.rss")"
            done
            echo "$row |"
        done
        echo
        echo "The same as ratios to restic's:"
        echo
        echo "| tool | initial CPU | RSS | incremental CPU | RSS | no-change CPU | RSS | restore CPU | RSS |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        for t in $tools; do
            row="| $t"
            for k in initial.cpu initial.rss incremental.cpu incremental.rss nochange.cpu nochange.rss restore.cpu restore.rss; do
                r="$(ratio "$(num "$t.$k")" "$(num "restic.$k")")"
                row="$row | ${r:-–}"
            done
            echo "$row |"
        done
        if [ -n "$(get strata.sys.backup.total)$(get strata.sys.restore.total)" ]; then
            local_entries="$(get data.mut.entries)"
            echo
            echo "Strata's system calls per entry of the tree ($local_entries entries; \`strace -f -c\`, all threads," \
                "the JVM's own included; a separate, untimed run: full backup into a repository of its own," \
                "no-change backup, restore into an empty folder):"
            echo
            hdr="| step | all calls | per entry"; sep="|---|---:|---:"
            for c in $SYSCALLS; do hdr="$hdr | $c"; sep="$sep|---:"; done
            echo "$hdr |"; echo "$sep|"
            for step in backup nochange restore; do
                row="| $step | $(cell "strata.sys.$step.total") | $(per_entry "$(num "strata.sys.$step.total")" "$local_entries")"
                for c in $SYSCALLS; do row="$row | $(per_entry "$(num "strata.sys.$step.$c")" "$local_entries")"; done
                echo "$row |"
            done
        fi
        echo
        echo "## Goals (issue 3)"
        echo
        echo "| goal | measured | verdict |"
        echo "|---|---:|---|"
        goal_row "full backup ≤ 0.4× restic's time" "$(ratio "$(num strata.initial)" "$(num restic.initial)")" le 0.4
        goal_row "repository no larger than restic's" "$(ratio "$(num strata.repo)" "$(num restic.repo)")" le 1
        goal_row "incremental ≤ 0.4× restic's time" "$(ratio "$(num strata.incremental)" "$(num restic.incremental)")" le 0.4
        goal_row "incremental adds no more than restic" "$(ratio "$(num strata.added)" "$(num restic.added)")" le 1
        goal_row "no-change backup ≤ 0.4× restic's time" "$(ratio "$(num strata.nochange)" "$(num restic.nochange)")" le 0.4
        goal_row "restore ≤ 0.5× restic's time" "$(ratio "$(num strata.restore)" "$(num restic.restore)")" le 0.5
        goal_row "peak RSS ≤ 1.5× restic's" "$(ratio "$(num strata.initial.rss)" "$(num restic.initial.rss)")" le 1.5
        goal_row "peak RSS of the restore ≤ 1.5× restic's" "$(ratio "$(num strata.restore.rss)" "$(num restic.restore.rss)")" le 1.5
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
                "passes (peak VmHWM in brackets), *CPU* its user + sys seconds by then. *Ready* is the time from starting the mount command until" \
                "its entry folder exists (strata: \`snapshots/*/latest\`, restic: \`snapshots/latest\`, borg: the" \
                "archive's \`data\`), polled every 20 ms; all mounts run in the foreground (\`borg mount -f\`)."
            echo
            echo "| tool | ready s | find s (count) | tar pass 1 MB/s | tar pass 2 MB/s | dd largest MB/s | RSS MB (peak) | CPU s |"
            echo "|---|---:|---:|---:|---:|---:|---:|---:|"
            for t in bindfs strata restic borg; do
                case " bindfs $tools " in *" $t "*) ;; *) continue ;; esac
                if [ -n "$(get "$t.mount.skipped")" ]; then
                    echo "| $t | skipped: $(get "$t.mount.skipped") | | | | | | |"
                    continue
                fi
                if [ -n "$(get "$t.mount.failed")" ] && [ -z "$(get "$t.mount.ready")" ]; then
                    echo "| $t | failed (see logs/mount-$t.out) | | | | | | |"
                    continue
                fi
                echo "| $t | $(cell "$t.mount.ready") | $(cell "$t.mount.find") ($(cell "$t.mount.count")) | $(cell "$t.mount.tar1")" \
                    "| $(cell "$t.mount.tar2") | $(cell "$t.mount.dd") | $(cell "$t.mount.rss") ($(cell "$t.mount.hwm")) | $(cell "$t.mount.cpu") |"
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
    fi
    if [ "$do_image" = 1 ]; then
        image_report
    fi
    echo
    echo "Raw numbers: \`$(basename "$raw")\`; logs of every step: \`logs/\`."
} >"$report"

if [ "$keep" = 0 ]; then
    rm -rf "$data" "$repos" "$work/cache" "$work/restore" "$work/mnt" "$work/img"
fi
cat "$report"
say "report: $report"
