#!/usr/bin/env bash
# Cross-dedup of a disk image whose files lie whole, beside the bench image whose files are sparse.
#
#   tools/bench/backup-bench.sh --only-cross --size 1G --tools "strata restic" --work DIR --keep
#   tools/bench/image-cross-dense.sh DIR       # as root: it loop-mounts an ext4 image
#
# `mke2fs -d` (the bench image, DIR/img/disk.img) leaves every all-zero 4 KiB block of a file
# unallocated, so the dataset's low-entropy files lie on the disk in pieces. This script copies the
# same folder (DIR/img/src) into an ext4 of the same size, UUID and hash seed through a loop mount
# with `cp --sparse=never`, so every file lies whole, and measures for both images, each in a fresh
# repository: a file backup of the folder, then `strata image create --used-only` (or restic's
# `backup --stdin`), and the bytes the image adds. The dense image tells what an image of the sparse
# one would add if it could refer to the file backup's chunks across the holes (docs/format.md §10.5).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:?usage: image-cross-dense.sh WORK-FOLDER-OF-backup-bench.sh}"
img="$work/img"; out="$work/dense"; logs="$out/logs"
. "$here/bench-lib.sh"
[ -f "$img/disk.img" ] && [ -d "$img/src" ] || die "no $img/disk.img and $img/src: run backup-bench.sh --only-cross --keep first"
[ "$(id -u)" -eq 0 ] || die "needs root for the loop mount"
mkdir -p "$out/mnt" "$logs"
build_strata
export STRATA_PASSWORD="${BENCH_PASSWORD:-strata-bench-password}" RESTIC_PASSWORD="${BENCH_PASSWORD:-strata-bench-password}"
export STRATA_CACHE_DIR="$out/cache/strata" RESTIC_CACHE_DIR="$out/cache/restic"

dense="$out/dense.img"
rm -f "$dense"
truncate -s "$(stat -c %s "$img/disk.img")" "$dense"
E2FSPROGS_FAKE_TIME=1704067200 mke2fs -q -F -t ext4 -b 4096 -L strata-bench -U 5472a7a0-b3e1-4c2d-9e5f-000000000001 \
    -E hash_seed=5472a7a0-b3e1-4c2d-9e5f-000000000002,root_owner=0:0 "$dense"
mount -o loop "$dense" "$out/mnt"
trap 'umount "$out/mnt" 2>/dev/null || true' EXIT
cp -a --sparse=never "$img/src/." "$out/mnt/"
umount "$out/mnt"
trap - EXIT
e2fsck -fn "$dense" >"$logs/e2fsck.out" 2>&1 || die "the dense image fails e2fsck (log: $logs/e2fsck.out)"
say "folder $(mb "$(du -sb "$img/src" | cut -f1)") MB; allocated: sparse image $(mb "$(du -B1 "$img/disk.img" | cut -f1)") MB, dense $(mb "$(du -B1 "$dense" | cut -f1)") MB"

printf '| image | tool | folder backup s | folder stored MB | image s | image added MB |\n|---|---|---:|---:|---:|---:|\n'
for image in "$img/disk.img" "$dense"; do
    for tool in strata restic; do
        repo="$out/repo-$tool"; rm -rf "$repo"
        case "$tool" in
            strata) export STRATA_REPO="$repo"; "$root/strata" init >"$logs/init.out" 2>&1
                folder=("$root/strata" backup --json "$img/src")
                save=("$root/strata" image create --json --used-only "$image" --name cross) ;;
            restic) export RESTIC_REPOSITORY="$repo"; restic init >"$logs/init.out" 2>&1
                folder=(restic backup -q --compression auto "$img/src")
                save=(restic backup -q --compression auto --stdin --stdin-filename disk.img) ;;
        esac
        r0="$(du -sb "$repo" | cut -f1)"
        t="$(now_ns)"; "${folder[@]}" >"$logs/$tool.folder.out"; fs="$(secs_since "$t")"
        r1="$(du -sb "$repo" | cut -f1)"
        t="$(now_ns)"; "${save[@]}" <"$image" >"$logs/$tool.$(basename "$image").out"; is="$(secs_since "$t")"
        r2="$(du -sb "$repo" | cut -f1)"
        [ "$tool" = restic ] || say "$(basename "$image"): $(grep -o '"files":[0-9]*,"fileBytes":[0-9]*,"splitFiles":[0-9]*,"splitFileBytes":[0-9]*' \
            "$logs/$tool.$(basename "$image").out" | head -n 1)"
        printf '| %s | %s | %s | %s | %s | %s |\n' "$(basename "$image")" "$tool" "$fs" "$(mb $((r1 - r0)))" "$is" "$(mb $((r2 - r1)))"
        rm -rf "$repo"
    done
done
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
