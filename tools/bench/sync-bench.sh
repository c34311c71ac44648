#!/usr/bin/env bash
# Sync benchmark: Strata's shared volume against Syncthing (driven through its REST API) and rsync to
# rsyncd, same data, same run, between two network namespaces joined by a veth pair; prints one
# markdown table with the goals of docs/benchmarks.md as same-run ratios.
#
#   tools/bench/sync-bench.sh [--size 1G] [--edits 20] [--only strata,syncthing,rsync] [--work DIR]
#                             [--results DIR] [--data DIR] [--keep]
#
# The network: namespaces sb-a-PID (10.77.0.1) and sb-b-PID (10.77.0.2), a veth pair between them,
# nothing else; each tool's sending side runs in a, its receiving side in b, one tool at a time. Bytes
# on the wire are the veth's counters in a (received plus sent: payload, TLS, TCP/IP headers) over
# each step. Processes enter the namespace's network only (nsenter --net), so that mounts stay
# visible to the script.
# The data: tools/bench/gen_dataset.py generate --size (mixed: text, logs, JSON, binaries, copies,
# a sparse file, links), the same tree for every tool; the change is gen_dataset.py mutate (about 2 %).
# --data DIR keeps the data set in DIR (made there if DIR does not exist), so that runs that compare
# builds on the same data skip generating it; give it a DIR per --size.
# What each tool does, and what is measured:
#   initial   Strata: a shareable volume filled through a mount (not timed), shared by a and joined by
#             b, both `strata sync run`, until b logs that it has every record of a. Syncthing: the
#             folder (already on disk in a) shared on both devices through the REST API, until b's
#             tree lists like a's (a's scan of the data included). rsync: `rsync -aHS --delete` to an
#             rsyncd module in b.
#   change    the mutation applied in a (for Strata through a's mount, both mounts syncing), then
#             until b's tree lists like a's (types, names, sizes, mtimes, symlink targets); seconds
#             counted from the end of the mutation; bytes from its start.
#   edits     --edits small edits of one file in a, each waited for in b (Strata: mount to mount;
#             Syncthing: default settings, so its file watcher's 10 s delay; rsync has no watcher).
#   rename    a new 100 MiB random file synced, then renamed; bytes on the wire until b has the new
#             name and not the old one.
#   RSS       the peak (VmHWM) of the largest process of the tool on either side, its children
#             included (Syncthing's monitor and worker); rsync: the largest sum of its processes' RSS,
#             sampled every 0.1 s.
#
# STRATA_JAVA_OPTS reaches every Strata JVM: for a profile, -Xlog:jfr+startup=error
# -XX:StartFlightRecording=filename=DIR/,settings=profile (a folder: one recording per process; the log
# option keeps JFR's message out of the commands' output, which the script reads). With --keep, the
# logs of the initial sync stay in WORK/logs/strata-{ana,bob}-initial.log.
#
# Run as root. Missing Debian packages (syncthing, rsync, iproute2, util-linux, fuse, libfuse2) are
# installed with apt-get; Strata is built with `mvn package` if needed. Namespaces, mounts and
# processes are removed at the end whatever happens; the work folder too unless --keep.
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=bench-lib.sh
. "$here/bench-lib.sh"

size=1G
edits=20
only="strata,syncthing,rsync"
work="$root/target/sync-bench"
results="$root/target/bench-results"
keep=0
data=""
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --edits) edits="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --results) results="$2"; shift 2 ;;
        --data) data="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "run as root (network namespaces, mounts)"
wants() { [[ ",$only," == *",$1,"* ]]; }

A="sb-a-$$"; B="sb-b-$$"
IPA=10.77.0.1; IPB=10.77.0.2
logs="$work/logs"
pids=()
mounts=()
cleanup() {
    local p m
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null || true
    done
    for m in "${mounts[@]}"; do
        if mountpoint -q "$m" 2>/dev/null; then fusermount -u -z "$m" 2>/dev/null || true; fi
    done
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
    [ "$keep" -eq 1 ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_debian_packages syncthing=syncthing rsync=rsync iproute2=ip util-linux=nsenter fuse=fusermount libfuse2=lib:libfuse.so.2
rm -rf "$work"
mkdir -p "$logs" "$results"
if wants strata; then build_strata; fi

ip netns add "$A"; ip netns add "$B"
ip link add "va$$" type veth peer name "vb$$"
ip link set "va$$" netns "$A"; ip link set "vb$$" netns "$B"
ip -n "$A" addr add "$IPA/24" dev "va$$"; ip -n "$B" addr add "$IPB/24" dev "vb$$"
for n in "$A" "$B"; do ip -n "$n" link set lo up; done
ip -n "$A" link set "va$$" up; ip -n "$B" link set "vb$$" up

wire() { ip netns exec "$A" sh -c "echo \$(( \$(cat /sys/class/net/va$$/statistics/rx_bytes) + \$(cat /sys/class/net/va$$/statistics/tx_bytes) ))"; }
in_ns() { local n="$1"; shift; nsenter --net="/var/run/netns/$n" -- "$@"; }
# bg NAME NS CMD...: runs CMD in namespace NS in the background (exec'd down to the process itself), log in logs/NAME.log; sets PID.
bg() {
    local name="$1" n="$2"; shift 2
    (exec nsenter --net="/var/run/netns/$n" -- "$@" >>"$logs/$name.log" 2>&1) &
    PID=$!
    pids+=("$PID")
}
stop_pid() {
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}
await_log() {
    local start; start="$(now_ns)"
    until grep -qF "$2" "$logs/$1.log" 2>/dev/null; do
        [ "$(secs_since "$start" | cut -d. -f1)" -lt "$3" ] || { tail -n 30 "$logs/$1.log" >&2; die "$1 never logged '$2'"; }
        sleep 0.05
    done
}
# hwm_kb PID: the largest VmHWM (kB) of the process and its descendants (Syncthing runs a monitor
# process and the one that works).
hwm_kb() {
    local p c best
    best="$(awk '/^VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0)"
    for c in $(pgrep -P "$1" 2>/dev/null || true); do best="$(max "$best" "$(hwm_kb "$c")")"; done
    echo "${best:-0}"
}
max() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { print (a > b ? a : b) }'; }
percentile() { tr ' ' '\n' | sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int((NR - 1) * p + 0.5) + 1; printf "%.3f", v[i] / 1000 }'; }
wait_same() { "$PY" "$here/sync_wait.py" same "$1" "$2" --timeout "${3:-1800}"; }
big_file() { head -c $((100 << 20)) /dev/urandom >"$1"; }

say "generating the data set (--size $size)"
if [ -z "$data" ]; then
    data="$work/src"
    "$PY" "$here/gen_dataset.py" generate "$data" --size "$size" --seed 42 >"$logs/gen.log"
elif [ ! -d "$data" ]; then
    rm -rf "$data.partial"
    "$PY" "$here/gen_dataset.py" generate "$data.partial" --size "$size" --seed 42 >"$logs/gen.log"
    mv "$data.partial" "$data"
fi
data_bytes="$(du -sb --apparent-size "$data" | cut -f1)"
data_files="$(find "$data" -type f | wc -l)"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

declare -A R   # R[tool.metric]

# --- Strata --------------------------------------------------------------------------------------
run_strata() {
    local d e
    dev_env() {
        printf '%s\n' PATH="$PATH" HOME="$work/strata/$1/home" XDG_CONFIG_HOME="$work/strata/$1/config" \
            STRATA_STATE_DIR="$work/strata/$1/state" STRATA_REPO="$work/strata/$1/repo" \
            STRATA_CACHE_DIR="$work/strata/$1/cache" STRATA_PASSWORD=sync-bench \
            MAVEN_OPTS="${MAVEN_OPTS:-}" JAVA_HOME="${JAVA_HOME:-}" STRATA_JAVA_OPTS="${STRATA_JAVA_OPTS:-}"
    }
    st() { local e; mapfile -t e < <(dev_env "$1"); shift; env -i "${e[@]}" "$root/strata" "$@"; }
    st_bg() { local d="$1" n="$2"; shift 2; local e; mapfile -t e < <(dev_env "$d"); bg "strata-$d" "$n" env -i "${e[@]}" "$root/strata" "$@"; }
    for d in ana bob; do mkdir -p "$work/strata/$d/home" "$work/strata/$d/mnt"; mounts+=("$work/strata/$d/mnt"); st "$d" init >/dev/null; done
    local ana bob
    ana="$(st ana sync id)"; bob="$(st bob sync id)"
    st ana sync add-peer "$bob" "$IPB:22400" >/dev/null
    st bob sync add-peer "$ana" "$IPA:22400" >/dev/null
    st ana volume create docs --shareable >/dev/null
    say "strata: filling the volume through a mount (not timed)"
    st_bg ana "$A" mount --volume docs --sync-listen 127.0.0.1:0 "$work/strata/ana/mnt"
    local fill=$PID
    await_log strata-ana "Volume docs is read-write here" 120
    cp -a "$data/." "$work/strata/ana/mnt/"
    stop_pid "$fill"
    st ana sync share docs --with "$bob" >/dev/null
    st bob sync join docs --from "$ana" >/dev/null

    say "strata: initial sync"
    local b0 t
    b0="$(wire)"; t="$(now_ns)"
    st_bg ana "$A" sync run --listen "$IPA:22400"; local ra=$PID
    st_bg bob "$B" sync run --listen "$IPB:22400"; local rb=$PID
    await_log strata-bob "volume docs: has every record of ${ana:0:7}" 3600
    R[strata.initial]="$(secs_since "$t")"; R[strata.initial_wire]=$(( $(wire) - b0 ))
    local rss; rss="$(max "$(hwm_kb "$ra")" "$(hwm_kb "$rb")")"
    R[strata.rss_initial_mb]="$(awk -v k="$rss" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }')"
    stop_pid "$ra"; stop_pid "$rb"

    say "strata: both mounts syncing"
    # The initial sync's logs are kept apart: its timeline (connected, joined, each batch stored, records applied).
    mv "$logs/strata-ana.log" "$logs/strata-ana-initial.log"; mv "$logs/strata-bob.log" "$logs/strata-bob-initial.log"
    st_bg ana "$A" mount --volume docs --sync-listen "$IPA:22400" "$work/strata/ana/mnt"; local ma=$PID
    st_bg bob "$B" mount --volume docs --sync-listen "$IPB:22400" "$work/strata/bob/mnt"; local mb=$PID
    await_log strata-ana "volume docs: has every record of ${bob:0:7}" 600
    await_log strata-bob "volume docs: has every record of ${ana:0:7}" 600
    local src="$work/strata/ana/mnt" dst="$work/strata/bob/mnt"
    wait_same "$src" "$dst" 600 >/dev/null

    say "strata: the ~2 % change"
    b0="$(wire)"
    "$PY" "$here/gen_dataset.py" mutate "$src" --size "$size" --seed 42 >"$logs/strata-mutate.log"
    R[strata.change]="$(wait_same "$src" "$dst")"; R[strata.change_wire]=$(( $(wire) - b0 ))

    say "strata: $edits edits"
    R[strata.edits]="$("$PY" "$here/sync_wait.py" edits "$src" "$dst" --count "$edits" --timeout 120)"

    say "strata: rename of a 100 MiB file"
    big_file "$src/big100.bin"; wait_same "$src" "$dst" >/dev/null; sleep 2
    b0="$(wire)"
    mv "$src/big100.bin" "$src/big100-renamed.bin"
    wait_same "$src" "$dst" >/dev/null
    sleep 1
    R[strata.rename_wire]=$(( $(wire) - b0 ))
    rss="$(max "$rss" "$(max "$(hwm_kb "$ma")" "$(hwm_kb "$mb")")")"
    R[strata.rss_mb]="$(awk -v k="$rss" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }')"
    R[strata.rss_mounts_mb]="$(awk -v k="$(max "$(hwm_kb "$ma")" "$(hwm_kb "$mb")")" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }')"
    stop_pid "$ma"; stop_pid "$mb"
}

# --- Syncthing -----------------------------------------------------------------------------------
run_syncthing() {
    local key=strata-sync-bench-key
    mkdir -p "$work/st/a-home" "$work/st/b-home" "$work/st/b"
    cp -a "$data" "$work/st/a"
    st_bg() {
        local side="$1" n="$2"
        bg "syncthing-$side" "$n" env -i PATH="$PATH" HOME="$work/st/$side-home" STGUIAPIKEY="$key" STNORESTART=1 \
            STNOUPGRADE=1 STNODEFAULTFOLDER=1 syncthing serve --home="$work/st/$side-home" --no-browser \
            --gui-address=http://127.0.0.1:8384
    }
    api() { local n="$1" method="$2" path="$3"; shift 3
        in_ns "$n" curl -sf -X "$method" -H "X-API-Key: $key" -H 'Content-Type: application/json' "http://127.0.0.1:8384$path" "$@"; }
    st_bg a "$A"; local pa=$PID
    st_bg b "$B"; local pb=$PID
    local n
    for n in "$A" "$B"; do
        for _ in $(seq 1 600); do api "$n" GET /rest/system/ping >/dev/null 2>&1 && break; sleep 0.1; done
    done
    local ida idb
    ida="$(api "$A" GET /rest/system/status | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["myID"])')"
    idb="$(api "$B" GET /rest/system/status | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["myID"])')"
    local opts='{"globalAnnounceEnabled":false,"localAnnounceEnabled":false,"relaysEnabled":false,"natEnabled":false,"urAccepted":-1,"crashReportingEnabled":false,"autoUpgradeIntervalH":0}'
    api "$A" PATCH /rest/config/options -d "${opts%\}},\"listenAddresses\":[\"tcp://$IPA:22000\"]}" >/dev/null
    api "$B" PATCH /rest/config/options -d "${opts%\}},\"listenAddresses\":[\"tcp://$IPB:22000\"]}" >/dev/null
    api "$A" POST /rest/config/devices -d "{\"deviceID\":\"$idb\",\"name\":\"b\",\"addresses\":[\"tcp://$IPB:22000\"]}" >/dev/null
    api "$B" POST /rest/config/devices -d "{\"deviceID\":\"$ida\",\"name\":\"a\",\"addresses\":[\"tcp://$IPA:22000\"]}" >/dev/null

    say "syncthing: initial sync"
    local b0 t
    b0="$(wire)"; t="$(now_ns)"
    local folder='"id":"bench","label":"bench","type":"sendreceive","devices":[{"deviceID":"'"$ida"'"},{"deviceID":"'"$idb"'"}]'
    api "$A" POST /rest/config/folders -d "{$folder,\"path\":\"$work/st/a\"}" >/dev/null
    api "$B" POST /rest/config/folders -d "{$folder,\"path\":\"$work/st/b\"}" >/dev/null
    wait_same "$work/st/a" "$work/st/b" >/dev/null
    R[syncthing.initial]="$(secs_since "$t")"; R[syncthing.initial_wire]=$(( $(wire) - b0 ))

    say "syncthing: the ~2 % change"
    sleep 2
    b0="$(wire)"
    "$PY" "$here/gen_dataset.py" mutate "$work/st/a" --size "$size" --seed 42 >"$logs/syncthing-mutate.log"
    R[syncthing.change]="$(wait_same "$work/st/a" "$work/st/b")"; R[syncthing.change_wire]=$(( $(wire) - b0 ))

    say "syncthing: $edits edits (default settings: the watcher waits 10 s)"
    R[syncthing.edits]="$("$PY" "$here/sync_wait.py" edits "$work/st/a" "$work/st/b" --count "$edits" --timeout 120)"

    say "syncthing: rename of a 100 MiB file"
    big_file "$work/st/a/big100.bin"; wait_same "$work/st/a" "$work/st/b" >/dev/null; sleep 2
    b0="$(wire)"
    mv "$work/st/a/big100.bin" "$work/st/a/big100-renamed.bin"
    wait_same "$work/st/a" "$work/st/b" >/dev/null
    sleep 1
    R[syncthing.rename_wire]=$(( $(wire) - b0 ))
    R[syncthing.rss_mb]="$(awk -v k="$(max "$(hwm_kb "$pa")" "$(hwm_kb "$pb")")" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }')"
    stop_pid "$pa"; stop_pid "$pb"
}

# --- rsync to rsyncd -----------------------------------------------------------------------------
run_rsync() {
    mkdir -p "$work/rsync/b"
    cp -a "$data" "$work/rsync/a"
    cat >"$work/rsync/rsyncd.conf" <<CONF
pid file = $work/rsync/rsyncd.pid
use chroot = yes
[bench]
    path = $work/rsync/b
    read only = no
    munge symlinks = no
    uid = root
    gid = root
CONF
    bg rsyncd "$B" rsync --daemon --no-detach --config="$work/rsync/rsyncd.conf" --address="$IPB" --port=8730; local pd=$PID
    for _ in $(seq 1 100); do in_ns "$A" rsync "rsync://$IPB:8730/" >/dev/null 2>&1 && break; sleep 0.1; done
    # The peak of the summed RSS of every rsync process, sampled while the steps run.
    ( peak=0; while :; do s="$(ps -C rsync -o rss= 2>/dev/null | awk '{ t += $1 } END { print t + 0 }')"
        [ "$s" -gt "$peak" ] && { peak=$s; echo "$peak" >"$work/rsync/peak"; }; sleep 0.1; done ) &
    local sampler=$!
    pids+=("$sampler")
    push() { in_ns "$A" rsync -aHS --delete "$work/rsync/a/" "rsync://$IPB:8730/bench/"; }
    local b0 t
    say "rsync: initial"
    b0="$(wire)"; t="$(now_ns)"; push
    R[rsync.initial]="$(secs_since "$t")"; R[rsync.initial_wire]=$(( $(wire) - b0 ))
    say "rsync: the ~2 % change"
    b0="$(wire)"
    "$PY" "$here/gen_dataset.py" mutate "$work/rsync/a" --size "$size" --seed 42 >"$logs/rsync-mutate.log"
    t="$(now_ns)"; push
    R[rsync.change]="$(secs_since "$t")"; R[rsync.change_wire]=$(( $(wire) - b0 ))
    say "rsync: rename of a 100 MiB file"
    big_file "$work/rsync/a/big100.bin"; push
    b0="$(wire)"
    mv "$work/rsync/a/big100.bin" "$work/rsync/a/big100-renamed.bin"; push
    R[rsync.rename_wire]=$(( $(wire) - b0 ))
    wait_same "$work/rsync/a" "$work/rsync/b" 5 >/dev/null || { diff <("$PY" -c "import sys; sys.path.insert(0, \"$here\"); import sync_wait; [print(x) for x in sync_wait.listing(\"$work/rsync/a\")]") <("$PY" -c "import sys; sys.path.insert(0, \"$here\"); import sync_wait; [print(x) for x in sync_wait.listing(\"$work/rsync/b\")]") | head -20 >&2; die "rsync left the trees unlike"; }
    kill "$sampler" 2>/dev/null || true
    R[rsync.rss_mb]="$(awk -v k="$(cat "$work/rsync/peak" 2>/dev/null || echo 0)" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }')"
    stop_pid "$pd"
}

wants strata && run_strata
wants syncthing && run_syncthing
wants rsync && run_rsync
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the table -----------------------------------------------------------------------------------
v() { printf '%s' "${R[$1]:-}"; }
mib() { [ -n "${1:-}" ] && awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
kib() { [ -n "${1:-}" ] && awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
lat() { [ -n "$(v "$1.edits")" ] && v "$1.edits" | percentile "$2"; }
report="$results/sync-bench-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    printf '## Sync: Strata, Syncthing, rsync to rsyncd (same run)\n\n'
    printf 'Data: %s bytes in %s files (gen_dataset.py --size %s --seed 42); change: gen_dataset.py mutate. %s. Load at start %s, at end %s.\n\n' \
        "$data_bytes" "$data_files" "$size" "$(machine_summary "$work")" "$load_start" "$load_end"
    printf '| measure | Strata | Syncthing %s | rsync → rsyncd %s |\n|---|---|---|---|\n' \
        "$(syncthing --version 2>/dev/null | awk '{ print $2 }')" "$(rsync --version | awk 'NR == 1 { print $3 }')"
    printf '| initial sync, s | %s | %s | %s |\n' "$(v strata.initial)" "$(v syncthing.initial)" "$(v rsync.initial)"
    printf '| initial sync, MiB on the wire | %s | %s | %s |\n' "$(mib "$(v strata.initial_wire)")" "$(mib "$(v syncthing.initial_wire)")" "$(mib "$(v rsync.initial_wire)")"
    printf '| after the ~2 %% change, s | %s | %s | %s |\n' "$(v strata.change)" "$(v syncthing.change)" "$(v rsync.change)"
    printf '| after the ~2 %% change, MiB on the wire | %s | %s | %s |\n' "$(mib "$(v strata.change_wire)")" "$(mib "$(v syncthing.change_wire)")" "$(mib "$(v rsync.change_wire)")"
    printf '| edit visible on the other side, p50 s | %s | %s | no watcher |\n' "$(lat strata 0.5)" "$(lat syncthing 0.5)"
    printf '| edit visible on the other side, p95 s | %s | %s | no watcher |\n' "$(lat strata 0.95)" "$(lat syncthing 0.95)"
    printf '| rename of a 100 MiB file, KiB on the wire | %s | %s | %s |\n' "$(kib "$(v strata.rename_wire)")" "$(kib "$(v syncthing.rename_wire)")" "$(kib "$(v rsync.rename_wire)")"
    printf '| peak RSS, MB | %s | %s | %s |\n' "$(v strata.rss_mb)" "$(v syncthing.rss_mb)" "$(v rsync.rss_mb)"
    printf '| of which: the initial sync (two sync run) / the mounts (change, edits, rename), MB | %s / %s | | |\n\n' \
        "$(v strata.rss_initial_mb)" "$(v strata.rss_mounts_mb)"
    printf 'Edits (ms), Strata: %s; Syncthing: %s\n\n' "$(v strata.edits)" "$(v syncthing.edits)"
    printf '| goal | measured | verdict |\n|---|---|---|\n'
    goal_row "initial sync time ≤ rsync's" "$(ratio "$(v strata.initial)" "$(v rsync.initial)")" le 1
    goal_row "initial sync wire ≤ Syncthing's" "$(ratio "$(v strata.initial_wire)" "$(v syncthing.initial_wire)")" le 1
    goal_row "time after a ~2 % change ≤ 0.25 × Syncthing's" "$(ratio "$(v strata.change)" "$(v syncthing.change)")" le 0.25
    goal_row "wire after a ~2 % change ≤ rsync's" "$(ratio "$(v strata.change_wire)" "$(v rsync.change_wire)")" le 1
    goal_row "edit visible p50 ≤ 0.3 s (× 0.3 s)" "$(ratio "$(lat strata 0.5)" 0.3)" le 1
    goal_row "edit visible p95 ≤ 1 s (× 1 s)" "$(ratio "$(lat strata 0.95)" 1)" le 1
    goal_row "rename of 100 MiB ≤ 64 KiB on the wire (× 64 KiB)" "$(ratio "$(v strata.rename_wire)" 65536)" le 1
    goal_row "peak RSS ≤ Syncthing's" "$(ratio "$(v strata.rss_mb)" "$(v syncthing.rss_mb)")" le 1
} | tee "$report"
say "report: $report"
