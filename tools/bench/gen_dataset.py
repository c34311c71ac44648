#!/usr/bin/env python3
"""Deterministic mixed dataset for tools/bench/backup-bench.sh (Python 3 standard library only).

  gen_dataset.py generate DIR [--size 1G] [--seed 42]   writes a fresh tree into DIR (must not exist)
  gen_dataset.py mutate   DIR [--size 1G] [--seed 42]   changes about 2% of it, the same way every time

The same size and seed give byte-identical files, links and modification times on every run.
What the tree holds (shares of --size, by apparent bytes):
  text/    ~14%  many small text-like files (pseudo-words with Zipf frequencies, so they
                 compress like prose or code) in folders up to 8 levels deep, a few empty ones
  logs/    ~10%  timestamped log files
  json/     ~6%  JSON documents (records with ids, names, numbers, tags)
  bin/     ~55%  large binaries: half of their bytes random (incompressible), half structured
  dup/      ~8%  exact copies of binaries and text files, and files built from regions of the
                 binaries at shifted (odd) offsets between random filler
  sparse.img ~6% a sparse file: a few data blocks in a large hole
  links/         symbolic links (file, folder, relative, absolute, dangling) and hard links
The mutation (its own random stream): inserts random bytes in the middle of four large binaries, appends to
every log, rewrites some small files, adds new text files and one binary, deletes small files
and one copied binary, and renames a folder holding about a tenth of the text files.
"""
import argparse
import json
import os
import random
import sys

BASE_TIME = 1704067200  # 2024-01-01T00:00:00Z: generated files get BASE_TIME + their index
MUTATION_TIME = BASE_TIME + 30 * 86400  # files the mutation touches get a later time

KIB = 1024
MIB = 1024 * KIB


def parse_size(text):
    units = {"": 1, "K": KIB, "M": MIB, "G": 1024 * MIB, "T": 1024 * 1024 * MIB}
    t = text.strip().upper().removesuffix("IB").removesuffix("B")
    num = t.rstrip("KMGT")
    unit = t[len(num):]
    if not num or unit not in units:
        raise argparse.ArgumentTypeError(f"size like 200M or 1G, not {text!r}")
    return int(float(num) * units[unit])


class Words:
    """A fixed pseudo-word vocabulary with Zipf frequencies: text from it compresses like real text."""

    SYLLABLES = ["ka", "to", "ri", "an", "el", "mo", "su", "ne", "li", "da", "per", "con", "ver", "str",
                 "ion", "ing", "at", "or", "es", "un", "de", "pro", "sta", "com", "ex", "in", "re", "al",
                 "ta", "ble", "ment", "ly", "er", "is", "ou", "th", "ch", "qu", "ze", "vo"]

    def __init__(self, rng, count=5000):
        seen = set()
        words = []
        while len(words) < count:
            n = 1 + min(int(rng.expovariate(0.7)), 4)
            w = "".join(rng.choice(self.SYLLABLES) for _ in range(n))
            if w not in seen:
                seen.add(w)
                words.append(w)
        self.words = words
        cum, total = [], 0.0
        for rank in range(1, count + 1):
            total += 1.0 / rank ** 1.07
            cum.append(total)
        self.cum = cum

    def pick(self, rng, k):
        return rng.choices(self.words, cum_weights=self.cum, k=k)

    def prose(self, rng, nbytes):
        """About nbytes of sentences and paragraphs."""
        out, size = [], 0
        while size < nbytes:
            ws = self.pick(rng, 4096)
            i = 0
            while i < len(ws) and size < nbytes:
                n = rng.randint(5, 18)
                sent = " ".join(ws[i:i + n])
                i += n
                sent = sent[:1].upper() + sent[1:] + (". " if rng.random() < 0.85 else ".\n\n")
                out.append(sent)
                size += len(sent)
        return "".join(out)[:nbytes].encode()

    def code(self, rng, nbytes):
        """About nbytes of source-code-like lines."""
        out, size, depth = [], 0, 0
        kinds = ["{i}{a} = {b}({c}, {d});\n", "{i}if ({a} != {b}) {{\n", "{i}}}\n", "{i}return {a}.{b}();\n",
                 "{i}// {a} {b} {c} {d}\n", "{i}for (int {a} = 0; {a} < {b}; {a}++) {{\n", "\n"]
        while size < nbytes:
            ws = self.pick(rng, 400)
            for j in range(0, 400, 4):
                k = rng.randrange(len(kinds))
                if kinds[k].endswith("{\n"):
                    depth = min(depth + 1, 6)
                elif kinds[k].startswith("{i}}}"):
                    depth = max(depth - 1, 0)
                line = kinds[k].format(i="    " * depth, a=ws[j], b=ws[j + 1], c=ws[j + 2], d=ws[j + 3])
                out.append(line)
                size += len(line)
                if size >= nbytes:
                    break
        return "".join(out)[:nbytes].encode()


# Maps every byte onto 16 symbols: "structured" binary data that zstd shrinks about 2x.
LOW_ENTROPY = bytes((b % 16) * 7 + 32 for b in range(256))


def random_bytes(rng, n):
    return rng.randbytes(n)


def structured_bytes(rng, n):
    """Compressible binary: low-entropy blocks, runs of zeros and repeated records."""
    out = bytearray()
    while len(out) < n:
        kind = rng.random()
        size = rng.randint(4 * KIB, 256 * KIB)
        if kind < 0.6:
            out += rng.randbytes(size).translate(LOW_ENTROPY)
        elif kind < 0.75:
            out += bytes(size)
        else:
            rec = rng.randbytes(rng.randint(16, 128))
            out += (rec * (size // len(rec) + 1))[:size]
    return bytes(out[:n])


class Gen:
    def __init__(self, root, size, seed, stream=0):
        self.root = root
        self.size = size
        self.rng = random.Random(seed * 1000 + stream)
        self.words = Words(random.Random(seed ^ 0x5EED))
        self.files = 0

    def path(self, rel):
        return os.path.join(self.root, rel)

    def write(self, rel, data, mtime=None):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        self.files += 1
        t = mtime if mtime is not None else BASE_TIME + self.files
        os.utime(p, (t, t))

    def write_stream(self, rel, total, produce, block=4 * MIB):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            done = 0
            while done < total:
                n = min(block, total - done)
                f.write(produce(n))
                done += n
        self.files += 1
        os.utime(p, (BASE_TIME + self.files,) * 2)

    # --- the parts -------------------------------------------------------------------------

    def text_tree(self, budget):
        rng = self.rng
        names = self.words.words
        # A fixed set of folders, some very deep.
        dirs = []
        for top in ["src", "docs", "notes", "site", "vendor"]:
            frontier = [f"text/{top}"]
            dirs.append(frontier[0])
            for level in range(1, 8):
                nxt = []
                for d in frontier:
                    for _ in range(rng.randint(1, 4 if level < 4 else 2)):
                        nxt.append(f"{d}/{rng.choice(names)}{level}")
                frontier = nxt[: max(4, 60 // level)]
                dirs.extend(frontier)
        used = 0
        n = 0
        while used < budget:
            d = rng.choice(dirs)
            size = min(int(rng.lognormvariate(8.2, 1.1)) + 20, 256 * KIB)
            if rng.random() < 0.5:
                data, ext = self.words.code(rng, size), rng.choice([".java", ".c", ".py", ".go"])
            else:
                data, ext = self.words.prose(rng, size), rng.choice([".txt", ".md", ".html"])
            self.write(f"{d}/{rng.choice(names)}-{n}{ext}", data)
            used += len(data)
            n += 1
        for i in range(3):
            os.makedirs(self.path(f"text/empty-{i}/inner"), exist_ok=True)
        self.write("text/zero-length.txt", b"")
        return n

    def logs(self, budget):
        rng = self.rng
        levels = ["INFO"] * 12 + ["DEBUG"] * 6 + ["WARN"] * 2 + ["ERROR"]
        comps = ["http", "db.pool", "scheduler", "auth", "cache", "worker-1", "worker-2", "gc"]
        count = max(3, budget // (24 * MIB))
        each = budget // count
        for i in range(count):
            self.write_stream(f"logs/service-{i:02d}.log", each, lambda n, i=i: self.log_lines(rng, n, levels, comps, i))

    def log_lines(self, rng, n, levels, comps, file_no):
        out, size = [], 0
        while size < n:
            ws = self.words.pick(rng, 512)
            for j in range(0, 504, 8):
                t = file_no * 1000000 + len(out)
                line = (f"2024-01-{1 + t // 86400 % 28:02d}T{t // 3600 % 24:02d}:{t // 60 % 60:02d}:{t % 60:02d}."
                        f"{rng.randrange(1000):03d}Z {rng.choice(levels):5} [{rng.choice(comps)}] "
                        f"{' '.join(ws[j:j + rng.randint(3, 7)])} id={rng.randrange(1 << 20)} "
                        f"ms={rng.randrange(2000)}\n")
                out.append(line)
                size += len(line)
        return "".join(out)[:n].encode()

    def json_docs(self, budget):
        rng = self.rng
        used, n = 0, 0
        while used < budget:
            records = []
            target = int(rng.uniform(16 * KIB, 1 * MIB))
            size = 0
            while size < target:
                ws = self.words.pick(rng, 8)
                rec = {"id": rng.randrange(1 << 40), "name": " ".join(ws[:2]), "active": rng.random() < 0.7,
                       "score": round(rng.uniform(0, 100), 3), "tags": ws[2:2 + rng.randint(0, 5)],
                       "owner": {"user": ws[7], "uid": rng.randrange(1000, 60000)}}
                records.append(rec)
                size += 140
            data = json.dumps({"version": 3, "items": records}, indent=1).encode()
            self.write(f"json/{n // 50:02d}/doc-{n:05d}.json", data)
            used += len(data)
            n += 1

    def binaries(self, budget):
        """Large files; random and structured alternate so half the bytes are incompressible."""
        rng = self.rng
        sizes = []
        # The largest file first (random), so the "largest file" read is a known, incompressible one.
        sizes.append(max(self.size // 10, 2 * MIB))
        while sum(sizes) < budget:
            sizes.append(int(rng.uniform(self.size / 40, self.size / 14)) // 4096 * 4096 + rng.randrange(4096))
        random_left, structured_left = budget / 2, budget / 2
        out = []
        for i, s in enumerate(sizes):
            s = min(s, max(int(random_left + structured_left), 4096))
            is_random = random_left >= structured_left
            if is_random:
                random_left -= s
            else:
                structured_left -= s
            name = f"bin/{'blob' if is_random else 'data'}-{i:02d}.{'bin' if is_random else 'dat'}"
            produce = (lambda n: random_bytes(rng, n)) if is_random else (lambda n: structured_bytes(rng, n))
            self.write_stream(name, s, produce)
            out.append(name)
            if random_left + structured_left <= 0:
                break
        return out

    def duplicates(self, budget, bins, text_count):
        rng = self.rng
        used = 0
        # Exact copies: two binaries (not the largest) and a few dozen text files.
        for b in bins[1:3]:
            dst = "dup/copies/" + os.path.basename(b)
            used += self.copy(b, dst)
        texts = sorted(self.walk_files("text"))
        for i, t in enumerate(rng.sample(texts, min(40, len(texts)))):
            used += self.copy(t, f"dup/copies/text/{i:03d}-{os.path.basename(t)}")
        # Regions of binaries at shifted offsets, between random filler of odd sizes.
        n = 0
        while used < budget:
            parts = []
            for _ in range(rng.randint(2, 4)):
                src = self.path(rng.choice(bins))
                length = min(int(rng.uniform(1 * MIB, max(2 * MIB, self.size / 60))), os.path.getsize(src))
                start = rng.randrange(0, max(1, os.path.getsize(src) - length))
                with open(src, "rb") as f:
                    f.seek(start)
                    parts.append(f.read(length))
                parts.append(rng.randbytes(rng.randint(1, 70000)))
            data = rng.randbytes(rng.randint(1, 9999)) + b"".join(parts)
            self.write(f"dup/shifted/mix-{n:02d}.bin", data)
            used += len(data)
            n += 1

    def sparse(self, apparent):
        rng = self.rng
        p = self.path("sparse.img")
        with open(p, "wb") as f:
            for k in range(5):
                f.seek(apparent * k // 5 + 4096 * rng.randrange(16))
                f.write(rng.randbytes(256 * KIB))
            f.truncate(apparent)
        self.files += 1
        os.utime(p, (BASE_TIME + self.files,) * 2)

    def links(self, bins):
        rng = self.rng
        os.makedirs(self.path("links"), exist_ok=True)
        texts = sorted(self.walk_files("text"))
        for i, t in enumerate(rng.sample(texts, 12)):
            os.symlink(os.path.relpath(t, "links"), self.path(f"links/sym-{i:02d}"))
        os.symlink("../text/src", self.path("links/to-src-dir"))
        os.symlink("/etc/hostname", self.path("links/absolute"))
        os.symlink("../no/such/file", self.path("links/dangling"))
        os.symlink("sym-00", self.path("links/chain"))
        for i, t in enumerate(rng.sample(texts, 10)):
            os.link(self.path(t), self.path(f"links/hard-{i:02d}"))
        os.link(self.path(bins[3 % len(bins)]), self.path("links/hard-binary"))
        for p in sorted(os.listdir(self.path("links"))):
            os.utime(self.path("links/" + p), (BASE_TIME,) * 2, follow_symlinks=False)

    def copy(self, src, dst):
        with open(self.path(src), "rb") as f:
            data = f.read()
        self.write(dst, data)
        return len(data)

    def walk_files(self, top):
        out = []
        for d, _, fs in os.walk(self.path(top)):
            for f in fs:
                out.append(os.path.relpath(os.path.join(d, f), self.root))
        return out

    def generate(self):
        s = self.size
        text_count = self.text_tree(s * 14 // 100)
        self.logs(s * 10 // 100)
        self.json_docs(s * 6 // 100)
        bins = self.binaries(s * 55 // 100)
        self.duplicates(s * 8 // 100, bins, text_count)
        self.sparse(s * 6 // 100 // (1 * MIB) * MIB)
        self.links(bins)
        self.stamp_dirs()

    def stamp_dirs(self):
        for d, _, _ in os.walk(self.root, topdown=False):
            os.utime(d, (BASE_TIME,) * 2)

    # --- the mutation ----------------------------------------------------------------------

    def touch(self, rel, k):
        t = MUTATION_TIME + k
        os.utime(self.path(rel), (t, t))

    def mutate(self):
        rng = self.rng
        s = self.size
        k = 0
        # Insertions in the middle of four large binaries (the largest too).
        bins = sorted(f for f in os.listdir(self.path("bin")))
        for b in [bins[0]] + rng.sample(bins[1:], min(3, len(bins) - 1)):
            rel = "bin/" + b
            p = self.path(rel)
            size = os.path.getsize(p)
            at = rng.randrange(size // 3, 2 * size // 3)
            insert = rng.randbytes(rng.randint(16 * KIB, 96 * KIB))
            tmp = p + ".tmp"
            with open(p, "rb") as f, open(tmp, "wb") as g:
                g.write(f.read(at))
                g.write(insert)
                while True:
                    block = f.read(4 * MIB)
                    if not block:
                        break
                    g.write(block)
            os.replace(tmp, p)
            k += 1
            self.touch(rel, k)
        # Appends to every log: 0.3% of the size in all.
        logs = sorted(os.listdir(self.path("logs")))
        each = max(4 * KIB, s * 3 // 1000 // len(logs))
        for i, name in enumerate(logs):
            with open(self.path("logs/" + name), "ab") as f:
                f.write(self.log_lines(rng, each, ["INFO", "WARN"], ["http", "db.pool"], 90 + i))
            k += 1
            self.touch("logs/" + name, k)
        texts = sorted(self.walk_files("text"))
        # Rewrites of small files: 0.3%.
        budget, used = s * 3 // 1000, 0
        for t in rng.sample(texts, len(texts)):
            if used >= budget:
                break
            data = self.words.prose(rng, rng.randint(200, 20 * KIB))
            with open(self.path(t), "wb") as f:
                f.write(data)
            used += len(data)
            k += 1
            self.touch(t, k)
        # Deletions: 2% of the text files and one copied binary.
        for t in rng.sample(texts, len(texts) // 50):
            if os.path.exists(self.path(t)):
                os.remove(self.path(t))
        copies = sorted(f for f in os.listdir(self.path("dup/copies")) if f.endswith((".bin", ".dat")))
        if copies:
            os.remove(self.path("dup/copies/" + copies[0]))
        # New files: text (0.5%) and one random binary (0.7%).
        budget, used, n = s * 5 // 1000, 0, 0
        while used < budget:
            data = self.words.code(rng, rng.randint(500, 30 * KIB))
            rel = f"text/new/{'abcdef'[n % 6]}/added-{n:04d}.java"
            self.write(rel, data, MUTATION_TIME + k)
            used += len(data)
            n += 1
            k += 1
        self.write("bin/added.bin", rng.randbytes(s * 7 // 1000), MUTATION_TIME + k)
        # A renamed folder: the largest first-level folder under text/src.
        src = self.path("text/src")
        subs = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
        biggest = max(subs, key=lambda d: (sum(len(fs) for _, _, fs in os.walk(os.path.join(src, d))), d))
        os.rename(os.path.join(src, biggest), os.path.join(src, biggest + "-renamed"))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["generate", "mutate"])
    ap.add_argument("dir")
    ap.add_argument("--size", type=parse_size, default=parse_size("1G"))
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args(argv)
    if a.size < 64 * MIB:
        ap.error("--size must be at least 64M")
    if a.action == "generate":
        if os.path.exists(a.dir):
            ap.error(f"{a.dir} exists; generate writes a fresh folder")
        os.makedirs(a.dir)
        Gen(a.dir, a.size, a.seed).generate()
    else:
        Gen(a.dir, a.size, a.seed, stream=1).mutate()
    os.utime(a.dir, (BASE_TIME,) * 2)


if __name__ == "__main__":
    main(sys.argv[1:])
