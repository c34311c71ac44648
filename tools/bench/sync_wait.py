#!/usr/bin/env python3
"""Helpers of tools/bench/sync-bench.sh (standard library only).

  sync_wait.py same A B --timeout S     waits until trees A and B list alike (types, names, file sizes and
                                        mtimes to the second, symlink targets; Syncthing's .stfolder left
                                        out); prints the seconds waited, exits 1 on timeout
  sync_wait.py edits A B --count N      writes N small edits to A/edit.txt, one at a time, and waits for
                                        each to read back from B/edit.txt; prints the milliseconds of each
"""
import argparse
import os
import sys
import time

SKIP = {".stfolder", ".stversions", ".stignore"}


def listing(root):
    out = []
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        if rel == ".":
            dirs[:] = [x for x in dirs if x not in SKIP]
            files = [x for x in files if x not in SKIP]
        for name in dirs + files:
            p = os.path.join(d, name)
            r = os.path.normpath(os.path.join(rel, name))
            st = os.lstat(p)
            if os.path.islink(p):
                out.append(("l", r, os.readlink(p)))
            elif os.path.isdir(p):
                out.append(("d", r))
            else:
                out.append(("f", r, st.st_size, int(st.st_mtime)))
    out.sort()
    return out


def same(a, b, timeout):
    start = time.monotonic()
    while True:
        try:
            if listing(a) == listing(b):
                print("%.3f" % (time.monotonic() - start))
                return 0
        except OSError:
            pass  # a name went while the tree was walked
        if time.monotonic() - start > timeout:
            print("timeout", file=sys.stderr)
            return 1
        time.sleep(0.2)


def edits(a, b, count, timeout):
    ms = []
    for i in range(count):
        content = ("edit %d at %f\n" % (i, time.time())).encode()
        start = time.monotonic()
        tmp = os.path.join(a, "edit.txt")
        with open(tmp, "wb") as f:
            f.write(content)
        while True:
            try:
                with open(os.path.join(b, "edit.txt"), "rb") as f:
                    if f.read() == content:
                        break
            except OSError:
                pass
            if time.monotonic() - start > timeout:
                print("edit %d never arrived" % i, file=sys.stderr)
                return 1
            time.sleep(0.005)
        ms.append(round((time.monotonic() - start) * 1000))
        time.sleep(0.3)
    print(" ".join(str(m) for m in ms))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["same", "edits"])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--count", type=int, default=20)
    x = ap.parse_args()
    if x.what == "same":
        sys.exit(same(x.a, x.b, x.timeout))
    sys.exit(edits(x.a, x.b, x.count, x.timeout))


if __name__ == "__main__":
    main()
