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
# is missing; a probe is a command, or lib:NAME for a shared library. Not as root: says what to install.
ensure_debian_packages() {
    local spec pkg probe missing=()
    for spec in "$@"; do
        pkg="${spec%%=*}"; probe="${spec#*=}"
        if [[ "$probe" == lib:* ]]; then
            ldconfig -p 2>/dev/null | grep -q "${probe#lib:}" || missing+=("$pkg")
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

# release_mount MOUNTPOINT [PID]: unmounts (lazily if it stays busy) and waits for the process that
# served the mount, ending it if it outlives the unmount by 10 s.
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
