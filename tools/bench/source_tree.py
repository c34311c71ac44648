#!/usr/bin/env python3
"""The first N files of a source tarball, as a plain tar, for tools/bench/volume-bench.sh (standard library only).

  source_tree.py TARBALL OUT.tar --files 30000

Reads TARBALL (.tar, .tar.gz, .tar.xz, .tar.bz2) as a stream and copies its members in order, folders
and symlinks included, until --files regular files have been copied; the rest is never decompressed.
Member names, modes and times are kept; owners become 0/0 so that every target gets the same tree.
Prints one line: files=N dirs=N links=N bytes=N (bytes: the regular files' contents).
"""
import argparse
import sys
import tarfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tarball")
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=30000)
    a = ap.parse_args()
    if a.files < 1:
        sys.exit("source_tree.py: --files must be at least 1")
    counts = {"files": 0, "dirs": 0, "links": 0, "bytes": 0}
    with tarfile.open(a.tarball, "r|*") as src, tarfile.open(a.out, "w", format=tarfile.GNU_FORMAT) as dst:
        for m in src:
            if m.isreg():
                if counts["files"] == a.files:
                    break
                counts["files"] += 1
                counts["bytes"] += m.size
            elif m.isdir():
                counts["dirs"] += 1
            elif m.issym() or m.islnk():
                counts["links"] += 1
            else:
                continue
            m.uid = m.gid = 0
            m.uname = m.gname = "root"
            dst.addfile(m, src.extractfile(m) if m.isreg() else None)
    if counts["files"] < a.files:
        print(f"source_tree.py: {a.tarball} holds only {counts['files']} files", file=sys.stderr)
    print(" ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
