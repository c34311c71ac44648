#!/usr/bin/env python3
"""Reads what tools/bench/core-bench.sh wrote into a results folder and prints one markdown table.

JMH scores are already MB/s (every benchmark counts one operation per byte and reports ops/us);
openssl -mr prints bytes/s; zstd -b prints MB/s (10^6 bytes/s). Usage: core-report.py RESULTS_DIR
"""
import json
import math
import re
import sys
from pathlib import Path

out = Path(sys.argv[1])


def jmh_scores():
    scores = {}
    runs = [run for f in sorted(out.glob("jmh-*.json")) for run in json.loads(f.read_text())]
    for run in runs:
        name = run["benchmark"].rsplit(".", 2)[-2:]
        params = tuple(sorted((run.get("params") or {}).items()))
        metric = run["primaryMetric"]
        if metric["scoreUnit"] != "ops/us":
            raise SystemExit(f"{run['benchmark']}: unit {metric['scoreUnit']}, expected ops/us")
        err = metric.get("scoreError")
        err = float(err) if err not in (None, "NaN") else math.nan
        scores[(".".join(name), params)] = (float(metric["score"]), err)
    return scores


def mean_of_runs(pattern, parse):
    """The mean over the runs before and after the JMH benchmarks (files named like pattern)."""
    files = sorted(out.glob(pattern))
    if not files:
        raise SystemExit(f"no {pattern} in {out}")
    return sum(parse(f) for f in files) / len(files)


def openssl_mbps(file):
    for line in file.read_text().splitlines():
        if line.startswith("+F:"):
            return float(line.split(":")[-1]) / 1e6
    raise SystemExit(f"{file}: no +F: line from openssl speed -mr")


def zstd_mbps(file):
    m = re.search(r"\(\s*[\d.]+\)\s+([\d.]+)\s*MB/s", file.read_text())
    if not m:
        raise SystemExit(f"{file}: no compression speed in zstd -b output")
    return float(m.group(1))


jmh = jmh_scores()


def strata(bench, **params):
    key = (bench, tuple(sorted((k, str(v)) for k, v in params.items())))
    if key not in jmh:
        raise SystemExit(f"JMH results lack {bench} {params}")
    return jmh[key]


def fmt(v):
    return "—" if v is None else f"{v:,.0f}"


def fmt_score(s):
    score, err = s
    return fmt(score) if math.isnan(err) else f"{score:,.0f} ± {err:,.0f}"


rows = []


def row(what, score, baseline=None, goal_ratio=None, goal_abs=None, goal_text=None):
    """A table row; pass/fail against goal_ratio × baseline or against goal_abs MB/s."""
    value = score[0]
    ratio = value / baseline if baseline else None
    if goal_ratio is not None:
        verdict = "pass" if ratio >= goal_ratio else "**miss**"
        goal = goal_text or f"≥ {goal_ratio:.2f}×"
    elif goal_abs is not None:
        verdict = "pass" if value >= goal_abs else "**miss**"
        goal = goal_text or f"≥ {goal_abs:,.0f} MB/s"
    else:
        verdict, goal = "info", goal_text or "—"
    rows.append((what, fmt_score(score), fmt(baseline), "—" if ratio is None else f"{ratio:.2f}×", goal, verdict))


ssl_sha = mean_of_runs("openssl-sha256-1048576.*.txt", openssl_mbps)
ssl_gcm16 = mean_of_runs("openssl-aes-256-gcm-16384.*.txt", openssl_mbps)
ssl_gcm1m = mean_of_runs("openssl-aes-256-gcm-1048576.*.txt", openssl_mbps)
zstd_native = {level: mean_of_runs(f"zstd-b{level}.*.txt", zstd_mbps) for level in (1, 3)}

chunk = strata("ChunkerBenchmark.fastCdcCut")
row("Chunker: FastCDC cut points, whole corpus", chunk, goal_abs=1000, goal_text="≥ 1,000 MB/s per core")
row("Chunker: ChunkReader (cuts + copies chunks out)", strata("ChunkerBenchmark.chunkReader"))
row("SHA-256 (JDK MessageDigest), 1 MiB vs `openssl speed -evp sha256`", strata("HashBenchmark.jdkSha256"),
    ssl_sha, goal_ratio=0.90)
hasher = strata("HashBenchmark.chunkIdHasher")
row("Chunk id (ChunkIdHasher, HMAC-SHA-256), 1 MiB vs openssl sha256", hasher, ssl_sha, goal_ratio=0.90)
compress = {}
for level in (1, 3):
    compress[level] = strata("ZstdBenchmark.zstdCompressor", level=level)
    row(f"zstd -{level}: ZstdCompressor (with probe), 1 MiB blocks vs `zstd -b{level} -B1MiB`",
        compress[level], zstd_native[level], goal_ratio=0.95)
    row(f"zstd -{level}: bare zstd-jni context, 1 MiB blocks vs `zstd -b{level} -B1MiB`",
        strata("ZstdBenchmark.zstdJniContext", level=level), zstd_native[level], goal_ratio=0.95)
row("AES-256-GCM seal (Aes256GcmCipher), 16 KiB vs `openssl speed -evp aes-256-gcm`",
    strata("AesGcmBenchmark.seal16k"), ssl_gcm16, goal_ratio=0.70)
seal = strata("AesGcmBenchmark.seal1m")
row("AES-256-GCM seal (Aes256GcmCipher), 1 MiB vs openssl aes-256-gcm", seal, ssl_gcm1m, goal_ratio=0.70)

# The serial bound: one core doing every stage of the default repository (zstd level 3) in turn.
bound = 1 / (1 / chunk[0] + 1 / hasher[0] + 1 / compress[3][0] + 1 / seal[0])
row("Serial bound 1/(1/chunk + 1/hash + 1/zstd-3 + 1/seal-1MiB)", (bound, math.nan),
    goal_text="computed from the rows above")
row("Put pipeline, 1 worker (+ reader thread, pack storer), vs serial bound",
    strata("PutPipelineBenchmark.putCorpus", threads=1), bound, goal_ratio=0.85)
row("Put pipeline, 2 workers (+ reader thread, pack storer), vs serial bound",
    strata("PutPipelineBenchmark.putCorpus", threads=2), bound, goal_ratio=1.70)

machine = (out / "machine.txt").read_text().strip().splitlines()
print("Core kernels, MB/s = 10^6 bytes/s, one thread unless stated; ± is JMH's 99.9 % error;")
print("baselines are the mean of a native run right before and one right after the JMH benchmarks.")
print()
for line in machine:
    print(f"- {line}")
print()
print("| Measurement | Strata MB/s | Baseline MB/s | Ratio | Goal | Result |")
print("| --- | ---: | ---: | ---: | --- | --- |")
for r in rows:
    print("| " + " | ".join(r) + " |")
misses = sum(1 for r in rows if r[5] != "pass" and r[5] != "info")
passes = sum(1 for r in rows if r[5] == "pass")
print()
print(f"{passes} passed, {misses} missed")
