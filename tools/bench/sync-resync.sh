#!/usr/bin/env bash
# Resync figure of a shared volume: two devices hold a volume of many small files, in sync; both sync
# processes stop and start again with nothing changed; how long until each has every record of the
# other, and what that cost: bytes on the wire, pack files read, CPU, peak RSS.
#
#   tools/bench/sync-resync.sh [--files 100000] [--work DIR] [--keep]
#
# The devices (own HOME, configuration, state folder, repository and password) run `strata sync run`
# inside a network namespace of their own, on its loopback, so the loopback's counters there are the
# bytes the two exchanged (TLS, TCP/IP headers included). The volume is filled through a mount
# (`strata mount --volume`) from a generated tree (--files files of 100 B to 8 KiB in folders of 500),
# shared by one device and joined by the other; the first sync is timed too. Before the restart every
# pack file's access time is set to 2000-01-01, so that (relatime) the packs read after it are those
# whose access time moved. "In sync" is the log line each side writes when it has every record of the
# other ("volume docs: has every record of …"); the time counts from before both processes start (JVM
# start and opening the repository and the volume included).
#
# Run as root (namespaces). Strata is built with `mvn package` if needed and run through ./strata.
# Everything is removed at the end (--keep keeps the work folder); namespaces are always removed.
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=bench-lib.sh
. "$here/bench-lib.sh"

files=100000
work="$root/target/sync-resync"
keep=0
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --files) files="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "run as root (network namespaces)"

ns="strata-resync-$$"
logs="$work/logs"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    for d in ana bob; do
        if mountpoint -q "$work/$d/mnt" 2>/dev/null; then fusermount -u -z "$work/$d/mnt" || true; fi
    done
    ip netns del "$ns" 2>/dev/null || true
    [ "$keep" -eq 1 ] || rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$work"
mkdir -p "$logs"
build_strata

ip netns add "$ns"
ip netns exec "$ns" ip link set lo up

# st DEVICE ARGS...: the strata command as DEVICE, inside the namespace; sth outside it (a mount made
# under `ip netns exec` is in a mount namespace of its own, out of the shell's sight).
dev_env() {
    printf '%s\n' PATH="$PATH" HOME="$work/$1/home" XDG_CONFIG_HOME="$work/$1/config" STRATA_STATE_DIR="$work/$1/state" \
        STRATA_REPO="$work/$1/repo" STRATA_CACHE_DIR="$work/$1/cache" STRATA_PASSWORD=resync-bench \
        MAVEN_OPTS="${MAVEN_OPTS:-}" JAVA_HOME="${JAVA_HOME:-}"
}
st() { local e; mapfile -t e < <(dev_env "$1"); shift; ip netns exec "$ns" env -i "${e[@]}" "$root/strata" "$@"; }
sth() { local e; mapfile -t e < <(dev_env "$1"); shift; env -i "${e[@]}" "$root/strata" "$@"; }
lo_bytes() {
    ip netns exec "$ns" sh -c 'echo $(( $(cat /sys/class/net/lo/statistics/rx_bytes) ))'
}
# start DEVICE PORT: `strata sync run` in the background, its log in logs/DEVICE.log; sets PID_<DEVICE>.
# The background job execs down to the JVM (ip netns exec, env and the launcher all exec), so $! is
# the sync process itself.
start() {
    local e; mapfile -t e < <(dev_env "$1")
    exec_strata() { exec ip netns exec "$ns" env -i "${e[@]}" "$root/strata" "$@"; }
    (exec_strata sync run --listen "127.0.0.1:$2" >>"$logs/$1.log" 2>&1) &
    pids+=("$!")
    eval "PID_$1=$!"
}
stop() {
    local p="$1"
    kill -TERM "$p"
    wait "$p" || true
}
# await_line DEVICE TEXT MAX: waits until DEVICE's log holds TEXT.
await_line() {
    local start; start="$(now_ns)"
    until grep -qF "$2" "$logs/$1.log"; do
        [ "$(secs_since "$start" | cut -d. -f1)" -lt "$3" ] || { tail -n 30 "$logs/$1.log" >&2; die "$1 never logged '$2'"; }
        sleep 0.05
    done
}
# the process's own java (the launcher execs it); VmHWM in MB and rchar in bytes
hwm() { proc_status_mb "$1" VmHWM; }
rchar() { awk '/^rchar/ { print $2 }' "/proc/$1/io" 2>/dev/null || echo 0; }

for d in ana bob; do mkdir -p "$work/$d/home" "$work/$d/mnt"; st "$d" init >/dev/null; done
ana_id="$(st ana sync id)"
bob_id="$(st bob sync id)"
st ana sync add-peer "$bob_id" 127.0.0.1:24102 >/dev/null
st bob sync add-peer "$ana_id" 127.0.0.1:24101 >/dev/null
st ana volume create docs --shareable >/dev/null

say "generating $files files"
"$PY" - "$work/src" "$files" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(5)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i // 500))
    if i % 500 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%06d.txt" % i), "wb") as f:
        f.write(rnd.randbytes(rnd.randint(100, 8192)))
PY
say "filling volume docs through a mount"
t="$(now_ns)"
sth ana mount --daemon --volume docs --sync-listen 127.0.0.1:0 --log "$logs/ana-mount.log" "$work/ana/mnt" >/dev/null
tar -C "$work/src" -cf - . | tar -C "$work/ana/mnt" -xf -
sth ana umount "$work/ana/mnt" >/dev/null
while pgrep -f -- "--volume docs --sync-listen 127.0.0.1:0 --log $logs/ana-mount.log" >/dev/null; do sleep 0.2; done
fill_secs="$(secs_since "$t")"
rm -rf "$work/src"

st ana sync share docs --with "$bob_id" >/dev/null
st bob sync join docs --from "$ana_id" >/dev/null
say "first sync"
b0="$(lo_bytes)"; t="$(now_ns)"
start ana 24101; start bob 24102
await_line bob "volume docs: has every record of ${ana_id:0:7}" 3600
await_line ana "volume docs: has every record of ${bob_id:0:7}" 3600
first_secs="$(secs_since "$t")"; first_bytes=$(( $(lo_bytes) - b0 ))
sleep 2
stop "$PID_ana"; stop "$PID_bob"; pids=()

find "$work/ana/repo" "$work/bob/repo" -type f -path '*/data/*' -exec touch -a -d 2000-01-01 {} +
packs_total="$(find "$work/ana/repo" "$work/bob/repo" -type f -path '*/data/*' | wc -l)"
: >"$logs/ana.log"; : >"$logs/bob.log"
say "restart, nothing changed"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
b0="$(lo_bytes)"; t="$(now_ns)"; restart_ns="$t"
start ana 24101; start bob 24102
await_line bob "volume docs: has every record of ${ana_id:0:7}" 600
await_line ana "volume docs: has every record of ${bob_id:0:7}" 600
resync_secs="$(secs_since "$t")"; resync_bytes=$(( $(lo_bytes) - b0 ))
sleep 1
ana_hwm="$(hwm "$PID_ana")"; bob_hwm="$(hwm "$PID_bob")"
ana_rchar="$(rchar "$PID_ana")"; bob_rchar="$(rchar "$PID_bob")"
ana_cpu="$(cpu_ticks "$PID_ana")"; bob_cpu="$(cpu_ticks "$PID_bob")"
hz="$(getconf CLK_TCK)"
stop "$PID_ana"; stop "$PID_bob"; pids=()
packs_read="$(find "$work/ana/repo" "$work/bob/repo" -type f -path '*/data/*' -newerat 2001-01-01 | wc -l)"
# timeline DEVICE: the restart's log lines, each with the seconds since both processes were started.
timeline() {
    local line ts
    while IFS= read -r line; do
        ts="${line%% *}"
        if [[ "$ts" == 20*Z ]]; then
            printf '    +%6.2f s  %s\n' "$(awk -v a="$restart_ns" -v b="$(date -d "$ts" +%s%N)" 'BEGIN { print (b - a) / 1e9 }')" \
                "${line#* strata sync: }"
        fi
    done <"$logs/$1.log"
}

printf '\n## Resync of a shared volume of %s files after a restart, nothing changed\n\n' "$files"
printf '%s\n\n' "$(machine_summary "$work"); load when the restart began: $load"
printf '| step | seconds | bytes on the wire |\n|---|---|---|\n'
printf '| fill the volume through a mount (tar) | %s | |\n' "$fill_secs"
printf '| first sync (join, every record and chunk) | %s | %s |\n' "$first_secs" "$first_bytes"
printf '| **resync after a restart, nothing changed** | **%s** | **%s** |\n\n' "$resync_secs" "$resync_bytes"
printf '| after the restart | ana (shares) | bob (joined) |\n|---|---|---|\n'
printf '| CPU s | %s | %s |\n' "$(awk -v t="$ana_cpu" -v h="$hz" 'BEGIN{printf "%.1f", t/h}')" "$(awk -v t="$bob_cpu" -v h="$hz" 'BEGIN{printf "%.1f", t/h}')"
printf '| peak RSS MB | %s | %s |\n' "$ana_hwm" "$bob_hwm"
printf '| bytes read by read(2) (rchar: jar, classes, state, packs) | %s | %s |\n' "$ana_rchar" "$bob_rchar"
printf '\npack files read after the restart (access time moved), both repositories: %s of %s\n' "$packs_read" "$packs_total"
printf '\nThe restart, as each side logged it (seconds since both processes were started):\n\n'
for d in ana bob; do printf '  %s:\n' "$d"; timeline "$d"; done
