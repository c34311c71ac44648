# Shell helpers shared by the benchmark and torture scripts (sourced, not run). The caller sets
# `root` (the checkout) and `logs` (a folder for build output) before calling build_strata.

case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin:/sbin" ;; esac   # mke2fs, debugfs, partclone

say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

now_ns() { date +%s%N; }
secs_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# size_bytes 1G: the bytes of a size as gen_dataset.py reads it (K, M, G, T are powers of 1024).
size_bytes() {
    awk -v s="$1" 'BEGIN { s = toupper(s); sub(/I?B$/, "", s); u = substr(s, length(s)); m = 1
        if (u == "K") m = 1024; else if (u == "M") m = 1048576; else if (u == "G") m = 1073741824
        else if (u == "T") m = 1099511627776
        if (m > 1) s = substr(s, 1, length(s) - 1)
        printf "%.0f", s * m }'
}

# The system's python3 (the generators use only its standard library); a pyenv shim would make
# every call slower.
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi

# ensure_debian_packages PACKAGE=PROBE...: installs (as root, with apt-get) each package whose probe
# is missing; a probe is a command, lib:NAME for a shared library or file:GLOB for a file the package
# installs. Not as root: says what to install.
ensure_debian_packages() {
    local spec pkg probe missing=()
    for spec in "$@"; do
        pkg="${spec%%=*}"; probe="${spec#*=}"
        if [[ "$probe" == lib:* ]]; then
            ldconfig -p 2>/dev/null | grep -q "${probe#lib:}" || missing+=("$pkg")
        elif [[ "$probe" == file:* ]]; then
            compgen -G "${probe#file:}" >/dev/null || missing+=("$pkg")
        else
            command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]} (apt-get)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "missing: ${missing[*]}; install them (apt-get install -y ${missing[*]}) and run again"
    fi
}

# Builds the jar the ./strata launcher runs, with `mvn package` (the launcher itself would run
# `mvn install`, which writes into the shared ~/.m2), then marks it newer than every source so the
# launcher runs it as it is.
build_strata() {
    local jar="$root/tools/target/strata.jar"
    if [ ! -f "$jar" ] || [ -n "$(find "$root" \( -path '*/target' -o -path '*/.git' \) -prune -o \
            \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit)" ]; then
        say "building Strata (mvn package -pl tools -am; nothing is installed into ~/.m2)"
        (cd "$root" && mvn -B -q -DskipTests package -pl tools -am) >"$logs/build.log" 2>&1 \
            || { tail -n 40 "$logs/build.log" >&2; die "Strata build failed (log: $logs/build.log)"; }
    fi
    touch "$jar"
}

# release_mount MOUNTPOINT [PID [SECONDS]]: unmounts (lazily if it stays busy) and waits for the
# process that served the mount, ending it if it outlives the unmount by SECONDS (default 10).
release_mount() {
    local mp="$1" pid="${2:-}" grace="${3:-10}" i
    if mountpoint -q "$mp" 2>/dev/null; then
        fusermount -u "$mp" 2>/dev/null || { sleep 1; fusermount -u "$mp" 2>/dev/null; } || fusermount -uz "$mp" 2>/dev/null || true
    fi
    if [ -n "$pid" ]; then
        for i in $(seq 1 $(( grace * 10 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            say "mount process $pid still running $grace s after unmount; sending SIGTERM"
            kill -TERM "$pid" 2>/dev/null || true
            sleep 2
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    fi
    if mountpoint -q "$mp" 2>/dev/null; then fusermount -uz "$mp" 2>/dev/null || true; fi
}

# drop_caches: writes dirty pages back, then (as root) empties the page cache and the dentry and inode
# caches, so the next step reads from the disk or the file system's server. Sets dropped=yes or no.
dropped=no
drop_caches() {
    sync
    if [ "$(id -u)" -eq 0 ] && { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
        dropped=yes
    fi
}

# ratio A B: A / B to two decimals, empty when either is missing or B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print ""; else printf "%.2f", a / b }'; }

# goal_verdict RATIO ge|le THRESHOLD: **pass**, **miss**, or "not measured" when RATIO is empty.
goal_verdict() {
    if [ -z "$1" ]; then
        printf 'not measured'
    elif awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { exit !((op == "ge" && v >= t) || (op == "le" && v <= t)) }'; then
        printf '**pass**'
    else
        printf '**miss**'
    fi
}

# goal_row DESCRIPTION RATIO ge|le THRESHOLD: a markdown row | goal | measured | verdict |.
goal_row() {
    local measured="–"
    if [ -n "$2" ]; then measured="$2×"; fi
    printf '| %s | %s | %s |\n' "$1" "$measured" "$(goal_verdict "$2" "$3" "$4")"
}

# proc_status_mb PID FIELD: a memory field of /proc/PID/status (VmRSS, VmHWM) in MB (10^6 bytes).
proc_status_mb() {
    awk -v f="$2:" '$1 == f { printf "%.1f", $2 * 1024 / 1e6 }' "/proc/$1/status" 2>/dev/null || true
}

# cpu_ticks PID: user plus system CPU time of a process and its threads, in clock ticks.
cpu_ticks() {
    # The command name in field 2 may hold spaces: count fields from after its closing parenthesis.
    sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}

# wait_idle PID [MAX_SECONDS]: waits until a process has used less than 3% of one core for a whole
# second (work it does after the caller's step: a file system's server sealing, flushing, indexing);
# sets IDLE_SECS to the time until that quiet second began. Gives up after MAX_SECONDS (default 600).
wait_idle() {
    local pid="$1" max="${2:-600}" start hz before after
    start="$(now_ns)"; hz="$(getconf CLK_TCK)"
    IDLE_SECS=""
    while kill -0 "$pid" 2>/dev/null; do
        before="$(cpu_ticks "$pid")"
        sleep 1
        after="$(cpu_ticks "$pid")"
        [ -n "$after" ] || break
        if [ $(( (after - before) * 100 )) -lt $(( hz * 3 )) ]; then
            IDLE_SECS="$(awk -v s="$(secs_since "$start")" 'BEGIN { s -= 1; printf "%.2f", s < 0 ? 0 : s }')"
            return 0
        fi
        if [ "$(secs_since "$start" | cut -d. -f1)" -ge "$max" ]; then
            say "process $pid still busy after $max s"; IDLE_SECS="$(secs_since "$start")"; return 1
        fi
    done
    IDLE_SECS="$(secs_since "$start")"
}

# machine_summary DIR: one sentence on the machine, the file system DIR is on, and the load now.
machine_summary() {
    printf '%s cores (%s), %s memory, Linux %s, %s on %s (%s); load average (1, 5, 15 min) %s' \
        "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
        "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" "$(uname -r)" \
        "$1" "$(df -P "$1" | awk 'NR == 2 { print $1 }')" "$(df -T "$1" | awk 'NR == 2 { print $2 }')" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# test_classpath: compiles the test sources and sets TEST_CP to a class path that runs the test tools
# (SyntheticRepository, S3BenchServer): Strata's own modules from this checkout's classes, never from
# installed jars, and their dependencies from the Maven repository.
test_classpath() {
    say "compiling the test tools"
    # One reactor run with -am: the sibling modules resolve to their target folders, so nothing needs
    # to be installed into the local Maven repository first. Each module writes the file in turn; tools
    # comes last and leaves its own class path.
    (cd "$root" && mvn -B -q -DskipTests test-compile dependency:build-classpath -pl tools -am \
        -Dmdep.includeScope=test -Dmdep.outputFile="$logs/cp.txt") >"$logs/test-compile.log" 2>&1 \
        || { tail -n 40 "$logs/test-compile.log" >&2; die "test-compile failed (log: $logs/test-compile.log)"; }
    TEST_CP="$root/tools/target/classes:$root/tools/target/test-classes:$(cat "$logs/cp.txt")"
}
