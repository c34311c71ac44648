#!/usr/bin/env python3
"""Source trees and manifests for tools/bench/torture.sh (Python 3 standard library only).

  torture_tree.py generate DIR --size 1G --seed 42   gen_dataset.py's tree plus what a backup must keep:
                                                     xattrs, odd modes and owners, nanosecond times, a
                                                     fifo, more small files (about 30,000 entries a GiB)
  torture_tree.py mutate DIR --size 1G --seed 42 --round N
                                                     a small change, different every round: a new random
                                                     file replaces the last round's, files rewritten, added,
                                                     deleted, renamed, re-moded, re-xattred, re-linked
  torture_tree.py manifest DIR OUT [--cache FILE]    one JSON line per entry: path, type, mode, owner,
                                                     size, mtime ns, sha256, link target, xattrs, hard-link
                                                     group, data extents of sparse files
  torture_tree.py compare WANT GOT [--skip FILE] [--prefix P]
                                                     exit 1 and the first differences when GOT (a restored
                                                     tree's manifest) is not WANT; --skip lists paths allowed
                                                     to be missing, --prefix compares WANT's subtree P only
  torture_tree.py names DIR --kind bytes|control|long   odd names: not UTF-8, control characters, 255 bytes
  torture_tree.py longpath DIR --bytes 4000          files along one chain of folders 4,000 bytes deep
  torture_tree.py widedir DIR --count 100000         that many small files in one folder
  torture_tree.py churn FILE --mode grow|shrink      changes FILE until killed (a file read while it changes)
  torture_tree.py files-of MANIFEST                  total bytes and count of regular files, for the table

Paths are bytes on Linux; manifests keep them as str with surrogate escapes (os.fsdecode), which
JSON carries as \\udcXX escapes, so names that are not UTF-8 compare byte for byte.
"""
import argparse
import hashlib
import json
import os
import random
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_dataset  # noqa: E402  (the shared generator)

KIB = 1024
MIB = 1024 * KIB
NS = 1_000_000_000


def ns_time(rng, base=gen_dataset.BASE_TIME):
    return (base + rng.randrange(86400 * 365)) * NS + rng.randrange(NS)


# --- generate ------------------------------------------------------------------------------

def generate(root, size, seed):
    """gen_dataset.py's tree, then what it lacks: xattrs, modes, owners, ns times, a fifo, entries."""
    os.makedirs(root)
    gen_dataset.Gen(root, size, seed).generate()
    rng = random.Random(seed * 7919 + 3)
    words = gen_dataset.Words(random.Random(seed ^ 0x5EED))
    # Small files up to about 30,000 entries per GiB: gen_dataset.py makes about 22,800.
    extra = max(200, size * 7000 // (1024 * MIB))
    for i in range(extra):
        rel = f"extra/{i // 100:03d}/item-{i:05d}.{rng.choice(['txt', 'cfg', 'dat', 'csv'])}"
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        n = int(rng.expovariate(1 / 1500))
        data = words.prose(rng, n) if rng.random() < 0.7 else rng.randbytes(n)
        with open(p, "wb") as f:
            f.write(data)
    os.makedirs(os.path.join(root, "extra/empty/deeper"), exist_ok=True)
    os.mkfifo(os.path.join(root, "extra/fifo"))
    files, dirs = walk(root)
    # Metadata a restore must bring back.
    for p in rng.sample(files, max(20, len(files) // 50)):
        set_xattrs(rng, p)
    for p in rng.sample(dirs, max(3, len(dirs) // 20)):
        set_xattrs(rng, p)
    os.setxattr(os.path.join(root, "extra/000/" + sorted(os.listdir(os.path.join(root, "extra/000")))[0]),
                "trusted.torture", b"trusted value")
    modes = [0o600, 0o640, 0o755, 0o700, 0o444, 0o4755, 0o2755, 0o000]
    for p in rng.sample(files, max(20, len(files) // 100)):
        os.chmod(p, rng.choice(modes))
    for p in rng.sample(dirs, max(3, len(dirs) // 50)):
        os.chmod(p, rng.choice([0o700, 0o750, 0o2775, 0o1777]))
    for p in rng.sample(files, max(20, len(files) // 100)):
        os.chown(p, rng.choice([1000, 1234, 65534]), rng.choice([1000, 5678, 65534]))
    for p in files:
        if rng.random() < 0.3:
            t = ns_time(rng)
            os.utime(p, ns=(t, t))
    stamp_dirs(root, rng)


def walk(root):
    files, dirs = [], []
    for d, ds, fs in os.walk(root):
        dirs.extend(os.path.join(d, x) for x in ds)
        for f in fs:
            p = os.path.join(d, f)
            if stat.S_ISREG(os.lstat(p).st_mode):
                files.append(p)
    files.sort()
    dirs.sort()
    return files, dirs


def set_xattrs(rng, p):
    for k in range(rng.randint(1, 3)):
        kind = rng.random()
        value = (rng.randbytes(rng.randint(0, 64)) if kind < 0.3 else
                 rng.randbytes(1000) if kind < 0.35 else f"value-{rng.randrange(1 << 30)}".encode())
        os.setxattr(p, f"user.torture.k{k}", value, follow_symlinks=False)


def stamp_dirs(root, rng):
    for d, _, _ in os.walk(root, topdown=False):
        t = ns_time(rng)
        os.utime(d, ns=(t, t))


# --- mutate --------------------------------------------------------------------------------

def mutate(root, size, seed, rnd):
    """One round's change. The churn file of the last round goes, so forgetting old snapshots
    leaves prune something to delete."""
    rng = random.Random(seed * 104729 + rnd)
    words = gen_dataset.Words(random.Random(seed ^ 0x5EED))
    churn = os.path.join(root, "churn")
    os.makedirs(churn, exist_ok=True)
    for old in os.listdir(churn):
        os.remove(os.path.join(churn, old))
    with open(os.path.join(churn, f"round-{rnd:03d}.bin"), "wb") as f:
        left = max(MIB, size // 40)
        while left > 0:
            n = min(left, 4 * MIB)
            f.write(rng.randbytes(n))
            left -= n
    with open(os.path.join(churn, f"round-{rnd:03d}.txt"), "wb") as f:
        f.write(words.prose(rng, max(64 * KIB, size // 400)))
    files, dirs = walk(root)
    files = [p for p in files if "/churn/" not in p]
    for p in rng.sample(files, min(len(files), 20)):
        with open(p, "wb") as f:
            f.write(words.code(rng, rng.randint(100, 40 * KIB)))
    for p in rng.sample(files, 10):
        if os.path.exists(p):
            os.remove(p)
    for i in range(20):
        d = rng.choice(dirs)
        if os.path.isdir(d):
            with open(os.path.join(d, f"added-r{rnd}-{i}.txt"), "wb") as f:
                f.write(words.prose(rng, rng.randint(0, 8 * KIB)))
    live = [p for p in files if os.path.exists(p)]
    for p in rng.sample(live, 3):
        os.chmod(p, rng.choice([0o600, 0o644, 0o755]))
    for p in rng.sample(live, 3):
        set_xattrs(rng, p)
    for p in rng.sample(live, 5):
        t = ns_time(rng, gen_dataset.MUTATION_TIME)
        os.utime(p, ns=(t, t))
    a = rng.choice(live)
    link = os.path.join(root, "links", f"hard-r{rnd}")
    os.link(a, link)
    sym = os.path.join(root, "links", f"sym-r{rnd}")
    os.symlink(os.path.relpath(rng.choice(live), os.path.join(root, "links")), sym)
    if rnd % 3 == 0:
        cands = [d for d in dirs if os.path.isdir(d) and "/text/" in d and d.count("/") - root.count("/") >= 3]
        if cands:
            d = rng.choice(cands)
            os.rename(d, d + f"-mv{rnd}")


# --- manifests -----------------------------------------------------------------------------

TYPES = {stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "symlink", stat.S_IFIFO: "fifo",
         stat.S_IFSOCK: "socket", stat.S_IFCHR: "chardev", stat.S_IFBLK: "blockdev"}


def data_extents(path, size):
    fd = os.open(path, os.O_RDONLY)
    try:
        out, off = [], 0
        while off < size:
            try:
                d = os.lseek(fd, off, os.SEEK_DATA)
            except OSError:
                break
            h = os.lseek(fd, d, os.SEEK_HOLE)
            out.append([d, h])
            off = h
        return out
    finally:
        os.close(fd)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(4 * MIB)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def xattrs(path):
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return {}
    out = {}
    for n in sorted(names):
        try:
            out[n] = os.getxattr(path, n, follow_symlinks=False).hex()
        except OSError:
            pass
    return out


# Linux refuses a path argument of PATH_MAX (4,096) bytes or more, and the tree holds deeper paths:
# such a path is reached through its folder, opened step by step and named as /proc/self/fd/N.
_LONG = 3800
_folders = {}


def reachable(full):
    """A path the kernel accepts for full (bytes), however long full is."""
    if len(full) < _LONG:
        return full
    parent, name = os.path.split(full)
    fd = _folders.get(parent)
    if fd is None:
        fd = os.open(b"/", os.O_PATH | os.O_DIRECTORY)
        for part in parent.split(b"/"):
            if part:
                nxt = os.open(part, os.O_PATH | os.O_DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = nxt
        _folders[parent] = fd
    return b"/proc/self/fd/%d/%s" % (fd, name)


def manifest(root, out, cache_file=None):
    """Every entry under root (bytes paths). Hashes are cached by inode, size, mtime and ctime."""
    root_b = os.fsencode(os.path.abspath(root))
    cache = {}
    if cache_file and os.path.exists(cache_file):
        with open(cache_file) as f:
            cache = json.load(f)
    new_cache = {}
    entries = []
    inodes = {}
    stack = [b""]
    while stack:
        rel = stack.pop()
        full = reachable(os.path.join(root_b, rel) if rel else root_b)
        st = os.lstat(full)
        kind = TYPES.get(stat.S_IFMT(st.st_mode), "other")
        e = {"p": os.fsdecode(rel or b"."), "t": kind, "mode": stat.S_IMODE(st.st_mode), "uid": st.st_uid,
             "gid": st.st_gid, "mtime": st.st_mtime_ns, "x": xattrs(full)}
        if kind == "file":
            e["size"] = st.st_size
            key = f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
            digest = cache.get(key) or sha256(full)
            new_cache[key] = digest
            e["sha"] = digest
            if st.st_blocks * 512 < st.st_size:
                e["extents"] = data_extents(full, st.st_size)
            if st.st_nlink > 1:
                inodes.setdefault((st.st_dev, st.st_ino), []).append(e)
        elif kind == "symlink":
            e["target"] = os.fsdecode(os.readlink(full))
            e.pop("mode")  # Linux symlinks are always 0777
        elif kind in ("chardev", "blockdev"):
            e["rdev"] = st.st_rdev
        entries.append(e)
        if kind == "dir":
            for name in os.listdir(full):
                stack.append(os.path.join(rel, name) if rel else name)
    for group in inodes.values():
        if len(group) > 1:
            first = min(x["p"] for x in group)
            for x in group:
                x["link"] = first
    entries.sort(key=lambda x: os.fsencode(x["p"]))
    with open(out, "w") as f:
        for e in entries:
            f.write(json.dumps(e, sort_keys=True) + "\n")
    if cache_file:
        with open(cache_file, "w") as f:
            json.dump(new_cache, f)


def load(path):
    with open(path) as f:
        return {e["p"]: e for e in map(json.loads, f)}


def subtree(entries, prefix):
    """WANT's entries below prefix, renamed relative to it (the prefix folder itself becomes '.')."""
    if not prefix or prefix == ".":
        return entries
    out = {}
    for p, e in entries.items():
        if p == prefix:
            out["."] = dict(e, p=".")
        elif p.startswith(prefix + "/"):
            q = p[len(prefix) + 1:]
            out[q] = dict(e, p=q)
    # Hard-link groups are compared as groups inside the subtree: renumber them by their first member.
    groups = {}
    for e in out.values():
        if "link" in e:
            groups.setdefault(e["link"], []).append(e)
    for members in groups.values():
        if len(members) == 1:
            members[0].pop("link")
        else:
            first = min(m["p"] for m in members)
            for m in members:
                m["link"] = first
    return out


def show(p):
    """A path for a message: escaped, and shortened in the middle when long."""
    a = ascii(p)
    return a if len(a) <= 90 else a[:40] + "…" + a[-45:]


def compare(want_file, got_file, skip_file=None, prefix=None, quiet=False):
    want = subtree(load(want_file), prefix)
    got = load(got_file)
    skip = set()
    if skip_file:
        with open(skip_file) as f:
            skip = {json.loads(line) for line in f if line.strip()}
    diffs = []
    # The restore target's own folder is the user's: its mode, owner and times are not the snapshot's.
    for p in sorted(set(want) | set(got), key=os.fsencode):
        if p == "." or p in skip:
            continue
        w, g = want.get(p), got.get(p)
        if w is None:
            diffs.append(f"extra {show(p)} ({g['t']})")
            continue
        if g is None:
            diffs.append(f"missing {show(p)} ({w['t']}, {w.get('size', 0)} bytes)")
            continue
        for k in sorted(set(w) | set(g)):
            if k == "extents":
                continue
            if w.get(k) != g.get(k):
                diffs.append(f"{show(p)}: {k} {str(w.get(k))[:80]} != {str(g.get(k))[:80]}")
        if "extents" in w and not covered(g.get("extents", [[0, g.get("size", 0)]]), w["extents"]):
            diffs.append(f"{show(p)}: holes filled: data at {g.get('extents')} outside {w['extents']}")
    lost = 0
    for p in want:
        if p != "." and p not in skip and (p not in got or want[p].get("sha") != got[p].get("sha")):
            lost += want[p].get("size", 0) if want[p]["t"] == "file" else 0
    print(json.dumps({"entries": len([p for p in want if p not in skip]), "differences": len(diffs),
                      "bytesLost": lost}))
    if diffs and not quiet:
        for d in diffs[:15]:
            print("  " + d, file=sys.stderr)
        if len(diffs) > 15:
            print(f"  … {len(diffs) - 15} more", file=sys.stderr)
    return 1 if diffs else 0


def covered(got, want):
    """Every data extent of got lies inside the data extents of want (no hole was filled in)."""
    for s, e in got:
        if not any(ws <= s and e <= we for ws, we in want):
            # Extents may merge across neighbours; check byte coverage.
            pos = s
            for ws, we in sorted(want):
                if ws <= pos < we:
                    pos = we
            if pos < e:
                return False
    return True


# --- odd and hostile trees -----------------------------------------------------------------

def names(root, kind):
    """Names that are legal on Linux but awkward. kind: bytes (not UTF-8, in names, a folder's name
    and symlink targets), control (newlines, tabs, control and shell characters), long (255 bytes)."""
    r = os.fsencode(root)
    os.makedirs(r)
    sets = {
        "bytes": [b"caf\xe9.txt", b"\xff\xfe\xfd", b"mixed-\xc3\xa9-\xe9", b"latin1-\xe0\xe8\xec"],
        "control": [b"new\nline", b"tab\tname", b"\x01\x02\x1f-ctl", b"del\x7f", b"-dash", b" lead space",
                    b"trail space ", b"back\\slash", b"quote\"'`", b"*?[glob]", b"\xe2\x82\xacuro-\xf0\x9f\x98\x80",
                    b"cr\rreturn", b"\x1b[31mescape"],
        "long": [b"a" * 255, "\u00e9".encode() * 127 + b"x", "\u20ac".encode() * 85],
    }
    for i, n in enumerate(sets[kind]):
        with open(os.path.join(r, n), "wb") as f:
            f.write(b"content %d: " % i + n + b"\n")
    if kind == "bytes":
        d = os.path.join(r, b"d\xe9j\xe0-vu")
        os.makedirs(os.path.join(d, b"sub\xff"))
        with open(os.path.join(d, b"sub\xff", b"inner\xe9.txt"), "wb") as f:
            f.write(b"inside folders whose names are not UTF-8\n")
        os.symlink(b"caf\xe9.txt", os.path.join(r, b"link-to-caf\xe9"))
        os.symlink(b"/no/such/\xff\xfe", os.path.join(r, b"dangling-\xff"))
        os.setxattr(os.path.join(r, b"caf\xe9.txt"), "user.odd", b"\xff\x00binary")
    if kind == "long":
        d = os.path.join(r, b"D" * 255)
        os.makedirs(d)
        with open(os.path.join(d, b"F" * 255), "wb") as f:
            f.write(b"255 by 255\n")
    for d_, ds, fs in os.walk(r, topdown=False):
        for f in fs + ds:
            os.utime(os.path.join(d_, f), ns=(1704067200 * NS + 123456789,) * 2, follow_symlinks=False)
    os.utime(r, ns=(1704067200 * NS,) * 2)


def longpath(root, total):
    """A chain of folders whose deepest file is `total` bytes below root, with a file at every level."""
    os.makedirs(root)
    rel, level = "", 0
    while True:
        name = f"L{level:02d}-" + "x" * 190
        if len(rel) + 1 + len(name) + 1 + 20 > total:
            break
        rel = f"{rel}/{name}" if rel else name
        level += 1
    fd = os.open(root, os.O_RDONLY)
    try:
        for i, part in enumerate(rel.split("/")):
            os.mkdir(part, dir_fd=fd)
            with open(f"file-at-level-{i:02d}", "wb", opener=lambda p, fl: os.open(p, fl, 0o644, dir_fd=fd)) as f:
                f.write(b"level %d\n" % i)
            nfd = os.open(part, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nfd
        last = "z" * (total - len(rel) - 1)
        with open(last, "wb", opener=lambda p, fl: os.open(p, fl, 0o644, dir_fd=fd)) as f:
            f.write(b"the deepest file\n")
    finally:
        os.close(fd)
    print(len(rel) + 1 + len(last))


def widedir(root, count):
    os.makedirs(root)
    for i in range(count):
        with open(os.path.join(root, f"f{i:06d}"), "wb") as f:
            f.write(b"%d\n" % i)


def churn(path, mode):
    """Grows (appends up to twice its size, then starts over) or shrinks (truncates, then refills)
    path until killed or 60 s have passed."""
    rng = random.Random(7)
    deadline = time.time() + 60
    start = os.path.getsize(path)
    with open(path, "r+b") as f:
        while time.time() < deadline:
            if mode == "grow":
                f.seek(0, 2)
                if f.tell() >= 2 * start:
                    f.truncate(start)
                    f.seek(0, 2)
                f.write(rng.randbytes(MIB))
                f.flush()
            else:
                size = os.fstat(f.fileno()).st_size
                f.truncate(max(0, size - 2 * MIB))
                if size <= 2 * MIB:
                    f.seek(0)
                    for _ in range(start // (4 * MIB)):
                        f.write(rng.randbytes(4 * MIB))
                    f.flush()
            time.sleep(0.02)


def files_of(path):
    n, total = 0, 0
    for e in load(path).values():
        if e["t"] == "file":
            n += 1
            total += e["size"]
    print(n, total)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("dir")
    g.add_argument("--size", type=gen_dataset.parse_size, default=gen_dataset.parse_size("1G"))
    g.add_argument("--seed", type=int, default=42)
    m = sub.add_parser("mutate")
    m.add_argument("dir")
    m.add_argument("--size", type=gen_dataset.parse_size, default=gen_dataset.parse_size("1G"))
    m.add_argument("--seed", type=int, default=42)
    m.add_argument("--round", type=int, required=True)
    mf = sub.add_parser("manifest")
    mf.add_argument("dir")
    mf.add_argument("out")
    mf.add_argument("--cache")
    c = sub.add_parser("compare")
    c.add_argument("want")
    c.add_argument("got")
    c.add_argument("--skip")
    c.add_argument("--prefix")
    n = sub.add_parser("names")
    n.add_argument("dir")
    n.add_argument("--kind", choices=["bytes", "control", "long"], required=True)
    lp = sub.add_parser("longpath")
    lp.add_argument("dir")
    lp.add_argument("--bytes", type=int, default=4000)
    w = sub.add_parser("widedir")
    w.add_argument("dir")
    w.add_argument("--count", type=int, default=100000)
    ch = sub.add_parser("churn")
    ch.add_argument("file")
    ch.add_argument("--mode", choices=["grow", "shrink"], required=True)
    fo = sub.add_parser("files-of")
    fo.add_argument("manifest")
    a = ap.parse_args(argv)
    if a.cmd == "generate":
        if os.path.exists(a.dir):
            ap.error(f"{a.dir} exists; generate writes a fresh folder")
        generate(a.dir, a.size, a.seed)
    elif a.cmd == "mutate":
        mutate(a.dir, a.size, a.seed, a.round)
    elif a.cmd == "manifest":
        manifest(a.dir, a.out, a.cache)
    elif a.cmd == "compare":
        return compare(a.want, a.got, a.skip, a.prefix)
    elif a.cmd == "names":
        names(a.dir, a.kind)
    elif a.cmd == "longpath":
        longpath(a.dir, a.bytes)
    elif a.cmd == "widedir":
        widedir(a.dir, a.count)
    elif a.cmd == "churn":
        churn(a.file, a.mode)
    elif a.cmd == "files-of":
        files_of(a.manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
