#!/usr/bin/env python3
"""The ~1% change inside the ext4 image of tools/bench/backup-bench.sh (Python 3 standard library).

  image_change.py SRC OUT --image-bytes N [--seed 42]

SRC is the folder the image was built from (mke2fs -d SRC). Writes the new file contents into
OUT/files/ and OUT/debugfs.cmd, a command file for `debugfs -w -f OUT/debugfs.cmd IMAGE` that
changes the image in place without mounting it (no rebuild: the layout of everything else stays):

  - new files under /bench-change/: one binary of random bytes (0.4% of the image) and
    source-code-like text files (0.3%)
  - rewrites: small text files (single links only) replaced by new prose of about their size
    (0.3%; `rm` then `write`, so the new content lands in newly allocated blocks)
  - deletions: 1% of the remaining text files (`rm`: their blocks are freed, not zeroed)

The same SRC, size and seed give the same commands and bytes. Prints one summary line of
key=value pairs (new_bytes, rewritten, rewritten_bytes, deleted, deleted_bytes, added_files).
"""
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_dataset as g  # noqa: E402  (its pseudo-word vocabulary)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--image-bytes", type=int, required=True)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args(argv)
    rng = random.Random(a.seed * 1000 + 7)
    words = g.Words(random.Random(a.seed ^ 0x5EED))
    size = a.image_bytes
    files = os.path.join(a.out, "files")
    os.makedirs(files)
    cmds = []
    n = 0

    def stage(data):
        nonlocal n
        n += 1
        p = os.path.join(files, f"f{n:05d}")
        with open(p, "wb") as f:
            f.write(data)
        return p

    # Text files with one link (a hard-linked one rewritten by rm + write would split its links).
    texts = []
    for d, dirs, fs in os.walk(os.path.join(a.src, "text")):
        dirs.sort()
        for name in sorted(fs):
            p = os.path.join(d, name)
            st = os.lstat(p)
            if os.path.isfile(p) and not os.path.islink(p) and st.st_nlink == 1 and " " not in p:
                texts.append(("/" + os.path.relpath(p, a.src), st.st_size))
    order = rng.sample(texts, len(texts))

    # Rewrites: 0.3% of the image.
    budget, rewritten, rewritten_bytes, i = size * 3 // 1000, 0, 0, 0
    while rewritten_bytes < budget and i < len(order):
        path, old = order[i]
        i += 1
        data = words.prose(rng, max(200, old + rng.randint(-100, 400)))
        cmds += [f'rm "{path}"', f'write "{stage(data)}" "{path}"']
        rewritten += 1
        rewritten_bytes += len(data)

    # Deletions: 1% of the text files, among those not rewritten.
    deleted, deleted_bytes = 0, 0
    for path, old in order[i:i + max(1, len(texts) // 100)]:
        cmds.append(f'rm "{path}"')
        deleted += 1
        deleted_bytes += old

    # New files: 0.3% code-like text, then 0.4% random bytes.
    cmds.append("mkdir /bench-change")
    budget, used, added = size * 3 // 1000, 0, 0
    while used < budget:
        data = words.code(rng, rng.randint(2000, 60 * 1024))
        cmds.append(f'write "{stage(data)}" "/bench-change/added-{added:04d}.java"')
        used += len(data)
        added += 1
    data = rng.randbytes(size * 4 // 1000)
    cmds.append(f'write "{stage(data)}" "/bench-change/added.bin"')
    used += len(data)
    added += 1

    with open(os.path.join(a.out, "debugfs.cmd"), "w") as f:
        f.write("\n".join(cmds) + "\n")
    print(f"new_bytes={used + rewritten_bytes} rewritten={rewritten} rewritten_bytes={rewritten_bytes} "
          f"deleted={deleted} deleted_bytes={deleted_bytes} added_files={added}")


if __name__ == "__main__":
    main(sys.argv[1:])
