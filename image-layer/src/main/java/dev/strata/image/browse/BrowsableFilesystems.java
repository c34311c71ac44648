package dev.strata.image.browse;

import java.io.IOException;
import java.time.ZoneId;

/** Opens the filesystem in a partition for browsing, when it is one Strata reads. Stateless. */
public final class BrowsableFilesystems {
    private BrowsableFilesystems() {
    }

    /**
     * The filesystem at the start of {@code source}. Fails with {@link FilesystemDamageException}
     * saying why when it is not one Strata reads (NTFS, XFS, btrfs…) or when its superblock is damaged.
     */
    public static BrowsableFs open(ByteSource source) throws IOException {
        return open(source, ZoneId.systemDefault());
    }

    /**
     * As {@link #open(ByteSource)}, reading FAT's local times in {@code fatZone} (FAT stores no zone;
     * by default the machine's own, from {@code TZ}, is taken).
     */
    public static BrowsableFs open(ByteSource source, ZoneId fatZone) throws IOException {
        if (source.size() >= 2048) {
            byte[] head = new byte[2048];
            source.readFully(0, head, 0, head.length);
            if (Le.u16(head, 1024 + 56) == ExtSuperblock.MAGIC) {
                return ExtFs.open(source);
            }
            if (FatFs.looksLikeFat(head)) {
                return FatFs.open(source, fatZone);
            }
        }
        throw new FilesystemDamageException("not a filesystem Strata can browse (ext2/3/4 or FAT)");
    }
}
