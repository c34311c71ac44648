#!/usr/bin/env bash
# Core kernel benchmarks: Strata's JMH benchmarks and, in the same run and on the
# same data file, the native baselines (openssl speed, zstd -b), summed up in one markdown table.
#
#   tools/bench/core-bench.sh [--out DIR] [--skip-build] [-- EXTRA_JMH_ARGS...]
#
# Results (JMH JSON, raw native outputs, results.md) go to --out, else $STRATA_BENCH_OUT, else
# target/bench-results. Installs what is missing when run as root on Debian, otherwise says what
# is. Takes about 6 minutes on 2 cores. Throughputs are MB/s = 10^6 bytes/s, one thread each
# except the put pipeline, wall-clock time everywhere (openssl speed runs with -elapsed).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
say() { printf 'core-bench: %s\n' "$*" >&2; }

out="${STRATA_BENCH_OUT:-$here/target/bench-results}"
build=1
jmh_extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out="$2"; shift 2 ;;
        --out=*) out="${1#--out=}"; shift ;;
        --skip-build) build=0; shift ;;
        --) shift; jmh_extra=("$@"); break ;;
        -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) say "unknown option $1 (see --help)"; exit 2 ;;
    esac
done

# package -> a command that proves it is there
declare -A needs=(
    [openjdk-17-jdk-headless]="javac"
    [maven]="mvn"
    [openssl]="openssl"
    [zstd]="zstd"
    [python3]="python3"
)
missing=()
for pkg in "${!needs[@]}"; do
    command -v "${needs[$pkg]}" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        say "missing packages: ${missing[*]} (Debian: apt-get install -y ${missing[*]})"
        exit 1
    fi
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
jar="$here/tools/benchmarks/target/benchmarks.jar"
corpus="$out/corpus.bin"
# sha256 of the corpus dev.strata.bench.Corpus writes; change it together with the generator.
corpus_sha256="22f7506ad0e6cbfe6ec73ebb457d86702d608fb948a6e8cb8afea114062e8282"

if [ "$build" -eq 1 ] || [ ! -f "$jar" ]; then
    say "building $jar"
    (cd "$here" && mvn -q -B -Pbench -pl tools/benchmarks -am package -DskipTests)
fi

if [ ! -f "$corpus" ] || [ "$(sha256sum "$corpus" | cut -d' ' -f1)" != "$corpus_sha256" ]; then
    say "writing the 256 MiB corpus to $corpus"
    java -cp "$jar" dev.strata.bench.Corpus "$corpus"
    actual="$(sha256sum "$corpus" | cut -d' ' -f1)"
    [ "$actual" = "$corpus_sha256" ] || say "warning: corpus digest $actual differs from the recorded one (generator changed?)"
fi

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
    echo "cpu flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'aes|pclmulqdq|sha_ni|avx2|avx512f|vaes|vpclmulqdq' | tr '\n' ' ')"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "openssl: $(openssl version)"
    echo "zstd: $(zstd --version)"
} > "$out/machine.txt"

# Each native baseline runs right before and right after the JMH benchmarks it is compared with,
# and the report takes the mean of the two: on a shared machine the load drifts within minutes.
jmh() { # NAME CLASS: one benchmark class, JSON to jmh-NAME.json
    say "JMH $2"
    STRATA_BENCH_CORPUS="$corpus" STRATA_BENCH_TMP="$out/tmp" \
        java -jar "$jar" -f 1 -rf json -rff "$out/jmh-$1.json" ${jmh_extra[@]+"${jmh_extra[@]}"} "dev\.strata\.bench\.$2\." \
        | tee "$out/jmh-$1.log" | { grep --line-buffered -E '^# Parameters:' || true; } | sed -u 's/^/  /' >&2
}
ssl() { # RUN ALGORITHM BYTES: one thread, wall-clock time
    openssl speed -elapsed -mr -seconds 3 -bytes "$3" -evp "$2" > "$out/openssl-$2-$3.$1.txt" 2>&1
}
zstd_bench() { # RUN LEVEL: 1 MiB independent blocks like the JMH benchmark; I/O and work on one thread
    zstd -q -b"$2" -i3 -B1MiB --single-thread "$corpus" > "$out/zstd-b$2.$1.txt" 2>&1
}

rm -rf "$out/tmp" "$out/jmh.json" "$out/jmh.log" "$out"/jmh-*.json "$out"/jmh-*.log "$out"/openssl-*.txt "$out"/zstd-b*.txt
mkdir -p "$out/tmp"
jmh chunker ChunkerBenchmark
ssl 1 sha256 1048576
jmh hash HashBenchmark
ssl 2 sha256 1048576
zstd_bench 1 1
zstd_bench 1 3
jmh zstd ZstdBenchmark
zstd_bench 2 1
zstd_bench 2 3
ssl 1 aes-256-gcm 16384
ssl 1 aes-256-gcm 1048576
jmh aes AesGcmBenchmark
ssl 2 aes-256-gcm 16384
ssl 2 aes-256-gcm 1048576
jmh pipeline PutPipelineBenchmark
rm -rf "$out/tmp"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

python3 "$here/tools/bench/core-report.py" "$out" > "$out/results.md"
cat "$out/results.md"
say "results in $out"
