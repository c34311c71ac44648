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
    public record Opened(LmdbEnvironment lmdb, LmdbIndex index, String recovered, Path data, boolean checked) {
        /**
         * Closes the environment and, when the file was found sound at open (or made new), marks its
         * state as checked ({@link CheckedMark}), so that the next open need not walk it: what LMDB
         * committed since is its own writing.
         */
        public void close() {
            lmdb.close();
            if (!checked) {
                return;
            }
            try {
                long txn = newestTransaction(data);
                if (txn >= 0) {
                    CheckedMark.record(data, txn);
                }
            } catch (IOException e) {
                // Only a later open's shortcut is lost: it walks the file.
            }
        }
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
        Path data = folder.resolve("data.mdb");
        FileCheck check = examine(data);
        String damage = check.problem();
        if (damage == null) {
            LmdbEnvironment lmdb = null;
            try {
                lmdb = LmdbEnvironment.open(folder);
                LmdbIndex index = LmdbIndex.open(lmdb, repositoryId);
                index.allLost();
                if (!check.marked() && index.chunkEntries() <= readWholeAtMost) {
                    index.packs();
                    damage = index.verify();
                }
                if (damage == null) {
                    return new Opened(lmdb, index, null, data, check.checked());
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
                    + damage + "); it was moved to " + aside + " and is rebuilt from the packs", data, true);
        } catch (RuntimeException e) {
            lmdb.close();
            throw e;
        }
    }

    /**
     * What the check of a data file at open found: its {@code problem}, or null; the transaction of
     * its newest meta page ({@code -1} if there is no file yet); whether the file is known sound as far
     * as an open checks ({@code checked}: there was none, it was walked, or a mark named it), and
     * whether that was a {@link CheckedMark mark} ({@code marked}: the walk and the read of the whole
     * index were done by an earlier open of the same state).
     */
    record FileCheck(String problem, long txn, boolean checked, boolean marked) {
    }

    /**
     * What is wrong with an LMDB data file's meta pages, or null when they look sound (or there is no
     * file yet): the magic and version, the page size, that the pages the newest meta page names lie
     * within the file, and then the trees it names, page by page ({@link LmdbTreeCheck}).
     */
    static String checkFile(Path data) throws IOException {
        return examine(data).problem();
    }

    static FileCheck examine(Path data) throws IOException {
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            Meta meta = newestMeta(ch);
            if (meta.problem() != null) {
                return new FileCheck(meta.problem(), -1, false, false);
            }
            ByteBuffer good = meta.page();
            long txn = good.getLong(PAGE_HEADER + 128);
            if (CheckedMark.matches(data, txn)) {
                return new FileCheck(null, txn, true, true);
            }
            if ((good.getLong(PAGE_HEADER + 120) + 1) * meta.pageSize() > WALK_AT_MOST) {
                return new FileCheck(null, txn, false, false);
            }
            String problem = LmdbTreeCheck.problem(ch, meta.pageSize(), good);
            return new FileCheck(problem, txn, problem == null, false);
        } catch (NoSuchFileException e) {
            return new FileCheck(null, -1, true, false);
        }
    }

    /** The transaction of the newest sound meta page of a data file, or -1 when there is none. */
    static long newestTransaction(Path data) throws IOException {
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            Meta meta = newestMeta(ch);
            return meta.problem() != null ? -1 : meta.page().getLong(PAGE_HEADER + 128);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    /** The meta page LMDB would use, with the file's page size; or what is wrong with the meta pages. */
    private record Meta(ByteBuffer page, int pageSize, String problem) {
        static Meta damaged(String problem) {
            return new Meta(null, 0, problem);
        }
    }

    private static Meta newestMeta(FileChannel ch) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        long size = ch.size();
        if (size == 0) {
            return Meta.damaged("its data file is empty");
        }
        ch.read(first, 0);
        first.flip();
        if (first.remaining() < PAGE_HEADER + 136) {
            return Meta.damaged("its data file is only " + size + " bytes long");
        }
        int pageSize = first.getInt(PAGE_HEADER + 24);
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            return Meta.damaged("its first meta page is not valid");
        }
        if (size < 2L * pageSize) {
            return Meta.damaged("its data file is only " + size + " bytes long");
        }
        ByteBuffer second = ByteBuffer.allocate(PAGE_HEADER + 136).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(second, pageSize);
        second.flip();
        String a = metaProblem(first, size, pageSize);
        String b = metaProblem(second, size, pageSize);
        if (a != null && b != null) {
            return Meta.damaged(a);
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
                return Meta.damaged(a != null ? a : b);
            }
        }
        return new Meta(good, pageSize, null);
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
