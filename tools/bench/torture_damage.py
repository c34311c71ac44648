#!/usr/bin/env python3
"""Damage done to a Strata repository (or its cache) on purpose, for tools/bench/torture.sh.
Python 3 standard library only; every choice is seeded. Works on copies: never on a repository
anyone needs.

  torture_damage.py packs REPO [--type data|tree]     every pack: id, type, size (one per line)
  torture_damage.py corrupt REPO --count 10 --seed S [--prefer FILE]
                     damages COUNT data packs (chosen among those listed in FILE first, if given), in
                     turn: one byte flipped inside the entries, truncated, deleted. Prints one JSON
                     line per pack: {"pack", "damage", "detail"}
  torture_damage.py expensive-key REPO               every key file asks for 4 GiB of Argon2 memory, 1000 passes
  torture_damage.py truncate-key REPO                every key file cut in half
  torture_damage.py lying-pack REPO --how huge|past-end|short --seed S
                     one data pack's trailer states a table length it does not have (docs/format.md §5)
  torture_damage.py lmdb-garbage FILE --where meta|pages --seed S
                     random bytes over an LMDB data file: its two meta pages, or pages in the middle
  torture_damage.py lost-files PACKS-OF DAMAGED
                     from TortureCraft's packs-of lines and corrupt's output: files that must be lost
                     (a chunk with every copy in a deleted pack) and may be lost (a chunk with a copy in
                     any damaged pack), as {"must": [...], "may": [...]}
"""
import argparse
import json
import os
import random
import struct
import sys

HEADER = 48
TRAILER = 16


def pack_files(repo):
    out = []
    data = os.path.join(repo, "data")
    for sub in sorted(os.listdir(data)):
        d = os.path.join(data, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            with open(p, "rb") as f:
                head = f.read(HEADER)
            kind = "data" if len(head) > 9 and head[9] == 1 else "tree" if len(head) > 9 and head[9] == 2 else "?"
            out.append((name, kind, os.path.getsize(p), p))
    return out


def table_offset(path, size):
    with open(path, "rb") as f:
        f.seek(size - TRAILER)
        length = struct.unpack("<I", f.read(4))[0]
    return size - TRAILER - length


def corrupt(repo, count, seed, prefer_file=None):
    rng = random.Random(seed)
    data = [p for p in pack_files(repo) if p[1] == "data"]
    preferred = set()
    if prefer_file:
        with open(prefer_file) as f:
            preferred = {line.strip() for line in f if line.strip()}
    first = [p for p in data if p[0] in preferred]
    rest = [p for p in data if p[0] not in preferred]
    rng.shuffle(first)
    rng.shuffle(rest)
    chosen = (first + rest)[:count]
    kinds = ["flip", "truncate", "delete"]
    for i, (name, _, size, path) in enumerate(sorted(chosen)):
        kind = kinds[i % 3]
        if kind == "flip":
            end = table_offset(path, size)
            at = rng.randrange(HEADER, max(HEADER + 1, end))
            with open(path, "r+b") as f:
                f.seek(at)
                b = f.read(1)[0]
                f.seek(at)
                f.write(bytes([b ^ (1 << rng.randrange(8))]))
            detail = f"byte {at} of {size}"
        elif kind == "truncate":
            to = rng.randrange(HEADER, size)
            os.truncate(path, to)
            detail = f"to {to} of {size} bytes"
        else:
            os.remove(path)
            detail = f"{size} bytes"
        print(json.dumps({"pack": name, "damage": kind, "detail": detail}))
    if len(chosen) < count:
        print(f"only {len(chosen)} data packs to damage", file=sys.stderr)


def key_files(repo):
    d = os.path.join(repo, "keys")
    return [os.path.join(d, n) for n in sorted(os.listdir(d))]


def expensive_key(repo):
    for p in key_files(repo):
        with open(p) as f:
            k = json.load(f)
        k["kdf"]["memoryKiB"] = 4 * 1024 * 1024
        k["kdf"]["iterations"] = 1000
        with open(p, "w") as f:
            json.dump(k, f)


def truncate_key(repo):
    for p in key_files(repo):
        os.truncate(p, os.path.getsize(p) // 2)


def lying_pack(repo, how, seed):
    rng = random.Random(seed)
    data = [p for p in pack_files(repo) if p[1] == "data"]
    name, _, size, path = rng.choice(data)
    stated = {"huge": 0xFFFFFF00, "past-end": size + 4096, "short": 64}[how]
    with open(path, "r+b") as f:
        f.seek(size - TRAILER)
        f.write(struct.pack("<I", stated))
    print(json.dumps({"pack": name, "size": size, "statedTableLength": stated}))


def lmdb_garbage(path, where, seed):
    rng = random.Random(seed)
    size = os.path.getsize(path)
    page = 4096
    with open(path, "r+b") as f:
        if where == "meta":
            f.seek(0)
            f.write(rng.randbytes(min(size, 2 * page)))
        else:
            pages = max(1, size // page)
            for _ in range(8):
                p = rng.randrange(2, pages) if pages > 2 else 0
                f.seek(p * page + rng.randrange(page // 2))
                f.write(rng.randbytes(page // 2))


def lost_files(packs_of, damaged_file):
    damaged = {}
    with open(damaged_file) as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                damaged[d["pack"]] = d["damage"]
    must, may = [], []
    with open(packs_of) as f:
        for line in f:
            e = json.loads(line)
            chunks = e["chunks"]
            if any(c and all(damaged.get(p) == "delete" for p in c) for c in chunks):
                must.append(e["p"])
            if any(any(p in damaged for p in c) for c in chunks):
                may.append(e["p"])
    print(json.dumps({"must": must, "may": may}))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("packs")
    p.add_argument("repo")
    p.add_argument("--type", choices=["data", "tree"])
    c = sub.add_parser("corrupt")
    c.add_argument("repo")
    c.add_argument("--count", type=int, default=10)
    c.add_argument("--seed", type=int, default=42)
    c.add_argument("--prefer")
    for name in ("expensive-key", "truncate-key"):
        sub.add_parser(name).add_argument("repo")
    lp = sub.add_parser("lying-pack")
    lp.add_argument("repo")
    lp.add_argument("--how", choices=["huge", "past-end", "short"], required=True)
    lp.add_argument("--seed", type=int, default=42)
    lg = sub.add_parser("lmdb-garbage")
    lg.add_argument("file")
    lg.add_argument("--where", choices=["meta", "pages"], required=True)
    lg.add_argument("--seed", type=int, default=42)
    lf = sub.add_parser("lost-files")
    lf.add_argument("packs_of")
    lf.add_argument("damaged")
    a = ap.parse_args(argv)
    if a.cmd == "packs":
        for name, kind, size, _ in pack_files(a.repo):
            if a.type is None or a.type == kind:
                print(name, kind, size)
    elif a.cmd == "corrupt":
        corrupt(a.repo, a.count, a.seed, a.prefer)
    elif a.cmd == "expensive-key":
        expensive_key(a.repo)
    elif a.cmd == "truncate-key":
        truncate_key(a.repo)
    elif a.cmd == "lying-pack":
        lying_pack(a.repo, a.how, a.seed)
    elif a.cmd == "lmdb-garbage":
        lmdb_garbage(a.file, a.where, a.seed)
    elif a.cmd == "lost-files":
        lost_files(a.packs_of, a.damaged)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
