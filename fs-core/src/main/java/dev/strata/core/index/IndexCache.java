package dev.strata.core.index;

import org.lmdbjava.LmdbException;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Opens the LMDB environment and index of a repository's cache folder, and sets a damaged one aside
 * so that it is rebuilt from the packs: the index is only a cache. Damage is looked for before LMDB
 * maps the file (a file cut short would fault the process once mapped) and while the index's tables
 * are first read. Stateless.
 */
public final class IndexCache {
    private static final int META_MAGIC = 0xBEEFC0DE;
    private static final int META_VERSION = 1;
    private static final int PAGE_HEADER = 16;
    private static final int P_META = 0x08;
    private static final long NO_PAGE = -1L;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private IndexCache() {
    }

    /**
     * An opened cache; {@code recovered} says, in one line, that a damaged cache was set aside (null
     * when the cache was fine).
     */
    public record Opened(LmdbEnvironment lmdb, LmdbIndex index, String recovered) {
    }

    /** Opens the index in {@code folder}; a damaged one is moved to a sibling folder and a new one made. */
    public static Opened open(Path folder, byte[] repositoryId, Instant now) throws IOException {
        return open(folder, repositoryId, now, LmdbIndex.VERIFY_AT_MOST);
    }

    /**
     * As {@link #open(Path, byte[], Instant)}; an index of at most {@code readWholeAtMost} chunk entries
     * is read whole (every pack record, every entry). A larger one is not: that read costs seconds and
     * brings much of the file into memory, for a command that may need a few pages of it (listing
     * snapshots, a small backup); its pack records are read when the index is brought in line with the
     * packs, and its entries as they are looked up.
     */
    static Opened open(Path folder, byte[] repositoryId, Instant now, long readWholeAtMost) throws IOException {
        String damage = checkFile(folder.resolve("data.mdb"));
        if (damage == null) {
            LmdbEnvironment lmdb = null;
            try {
                lmdb = LmdbEnvironment.open(folder);
                LmdbIndex index = LmdbIndex.open(lmdb, repositoryId);
                index.allLost();
                if (index.chunkEntries() <= readWholeAtMost) {
                    index.packs();
                    damage = index.verify();
                }
                if (damage == null) {
                    return new Opened(lmdb, index, null);
                }
                lmdb.close();
                lmdb = null;
            } catch (LmdbException | IOException | BufferUnderflowException | IllegalArgumentException e) {
                // An out-of-shape value (a pack record cut short, an unknown pack type) fails to decode.
                damage = e.getMessage() != null ? e.getMessage() : "a record does not decode";
                if (lmdb != null) {
                    lmdb.close();
                }
            }
        }
        Path aside = folder.resolveSibling(folder.getFileName() + ".damaged-" + STAMP.format(now));
        for (int n = 2; Files.exists(aside); n++) {
            aside = folder.resolveSibling(folder.getFileName() + ".damaged-" + STAMP.format(now) + "-" + n);
        }
        Files.move(folder, aside);
        LmdbEnvironment lmdb = LmdbEnvironment.open(folder);
        try {
            return new Opened(lmdb, LmdbIndex.open(lmdb, repositoryId), "the index cache " + folder + " was damaged ("
                    + damage + "); it was moved to " + aside + " and is rebuilt from the packs");
        } catch (RuntimeException e) {
            lmdb.close();
            throw e;
        }
    }

    /**
     * What is wrong with an LMDB data file's meta pages, or null when they look sound (or there is no
     * file yet): the magic and version, the page size, that the pages the newest meta page names lie
     * within the file, and then the trees it names, page by page ({@link LmdbTreeCheck}).
     */
    static String checkFile(Path data) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        long size;
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            size = ch.size();
            if (size == 0) {
                return "its data file is empty";
            }
            ch.read(first, 0);
            first.flip();
            if (first.remaining() < PAGE_HEADER + 136) {
                return "its data file is only " + size + " bytes long";
            }
            int pageSize = first.getInt(PAGE_HEADER + 24);
            if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
                return "its first meta page is not valid";
            }
            if (size < 2L * pageSize) {
                return "its data file is only " + size + " bytes long";
            }
            ByteBuffer second = ByteBuffer.allocate(PAGE_HEADER + 136).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(second, pageSize);
            second.flip();
            String a = metaProblem(first, size, pageSize);
            String b = metaProblem(second, size, pageSize);
            if (a != null && b != null) {
                return a;
            }
            // LMDB uses the newer meta page: that is the one that must be sound, with the pages it names.
            ByteBuffer good = a == null ? first : second;
            ByteBuffer other = a == null ? second : first;
            if (a == null && b == null) {
                good = Long.compareUnsigned(first.getLong(PAGE_HEADER + 128), second.getLong(PAGE_HEADER + 128)) >= 0
                        ? first : second;
            } else {
                long goodTxn = good.getLong(PAGE_HEADER + 128);
                long otherTxn = other.remaining() >= PAGE_HEADER + 136 ? other.getLong(PAGE_HEADER + 128) : Long.MIN_VALUE;
                if (Long.compareUnsigned(goodTxn, otherTxn) < 0) {
                    return a != null ? a : b;
                }
            }
            if ((good.getLong(PAGE_HEADER + 120) + 1) * pageSize > WALK_AT_MOST) {
                return null;
            }
            return LmdbTreeCheck.problem(ch, pageSize, good);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Data files above this are not walked at open: it would take seconds. */
    private static final long WALK_AT_MOST = 512L << 20;

    private static String metaProblem(ByteBuffer page, long fileSize, int pageSize) {
        if (page.remaining() < PAGE_HEADER + 136) {
            return "a meta page is cut short";
        }
        if ((page.getShort(10) & P_META) == 0 || page.getInt(PAGE_HEADER) != META_MAGIC
                || page.getInt(PAGE_HEADER + 4) != META_VERSION) {
            return "its meta pages are not valid";
        }
        if (page.getInt(PAGE_HEADER + 24) != pageSize) {
            return "its meta pages disagree on the page size";
        }
        long lastPage = page.getLong(PAGE_HEADER + 120);
        if (lastPage < 1 || (lastPage + 1) * pageSize > fileSize) {
            return "its data file is " + fileSize + " bytes long but names page " + lastPage;
        }
        for (int root : new int[] {PAGE_HEADER + 64, PAGE_HEADER + 112}) {
            long pgno = page.getLong(root);
            if (pgno != NO_PAGE && (pgno < 2 || pgno > lastPage)) {
                return "a root page lies outside its data file";
            }
        }
        return null;
    }
}
