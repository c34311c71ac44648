package dev.strata.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.BitSet;

/**
 * Walks the B-trees of an LMDB data file from a meta page, in Java, before LMDB maps it: LMDB trusts
 * its file and aborts the process (an assertion) or follows a wild page number when garbage lies over
 * a page it reads. Every page reachable from the meta page must name itself, sit at the depth its
 * tree says, hold node offsets and node sizes inside itself, and be reached once; overflow pages must
 * be as long as the values they carry; each tree must count the pages and entries its record states;
 * and every page on the free list must lie in the file and belong to no tree, since LMDB writes over
 * free pages. Layout: LMDB's mdb.c (64-bit page numbers, 16-byte page header, 8-byte node header).
 * One instance checks one file once; not thread-safe.
 */
final class LmdbTreeCheck {
    private static final int PAGE_HEADER = 16;
    private static final int NODE_HEADER = 8;
    private static final int DB_RECORD = 48;
    /** LMDB's cursors hold at most this many levels. */
    private static final int MAX_DEPTH = 32;
    private static final long NO_PAGE = -1L;

    private static final int P_BRANCH = 0x01;
    private static final int P_LEAF = 0x02;
    private static final int P_OVERFLOW = 0x04;
    private static final int P_SUBP = 0x40;
    /** Page flags LMDB keeps on written pages besides the type (dirty and loose are in-memory only, but harmless). */
    private static final int P_KEEP_OR_DIRTY = 0x10 | 0x4000 | 0x8000;

    private static final int F_BIGDATA = 0x01;
    private static final int F_SUBDATA = 0x02;
    private static final int F_DUPDATA = 0x04;

    private static final int MDB_DUPSORT = 0x04;

    /** The data file mapped read-only: a page is a slice of it, not a system call and a copy. */
    private final ByteBuffer file;
    private final int pageSize;
    private final long lastPage;
    private final BitSet reached = new BitSet();

    private LmdbTreeCheck(ByteBuffer file, int pageSize, long lastPage) {
        this.file = file;
        this.pageSize = pageSize;
        this.lastPage = lastPage;
    }

    /** Thrown inside the walk at the first thing out of shape; its message says what. */
    private static final class Damage extends Exception {
        Damage(String what) {
            super(what, null, false, false);
        }
    }

    /** Pages and entries a tree was found to hold, to compare with its record. */
    private static final class Counts {
        long branch;
        long leaf;
        long overflow;
        long entries;
    }

    /**
     * What is wrong with the trees the meta page {@code meta} (positioned at its start) names, or null
     * when every page reachable from it is in shape.
     */
    static String problem(FileChannel file, int pageSize, ByteBuffer meta) throws IOException {
        long lastPage = meta.getLong(PAGE_HEADER + 120);
        // Mapped by Java, read-only: a page past the end of the file is caught by the bounds check below,
        // never touched. The caller walks files of at most a few hundred MiB.
        if (lastPage < 1 || lastPage >= Integer.MAX_VALUE / pageSize) {
            return "the meta page names " + lastPage + " as its last page";
        }
        ByteBuffer mapped = file.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(file.size(), (lastPage + 1) * pageSize));
        LmdbTreeCheck check = new LmdbTreeCheck(mapped, pageSize, lastPage);
        try {
            check.reached.set(0, 2); // the meta pages
            ByteBuffer freeRecord = slice(meta, PAGE_HEADER + 24, DB_RECORD);
            ByteBuffer mainRecord = slice(meta, PAGE_HEADER + 24 + DB_RECORD, DB_RECORD);
            check.tree(mainRecord, Kind.MAIN, "the main table");
            FreePages free = new FreePages();
            check.tree(freeRecord, Kind.FREE, free, "the free list");
            free.checkAgainst(check.reached, lastPage);
            return null;
        } catch (Damage d) {
            return d.getMessage();
        } finally {
            // The check keeps no slice of the mapping past this point.
            Unmapper.unmap(mapped);
        }
    }

    private enum Kind {
        /** The table of named tables: its values are table records. */
        MAIN,
        /** LMDB's list of free pages: values are page number lists. */
        FREE,
        /** A named table; with MDB_DUPSORT its values may be sub-pages or sub-trees of duplicates. */
        NAMED,
        /** The sub-tree of one key's duplicates: keys only. */
        DUPLICATES
    }

    /** The page numbers the free list holds, gathered during its walk. */
    private static final class FreePages {
        final BitSet pages = new BitSet();

        void add(ByteBuffer value) throws Damage {
            if (value.remaining() < 8 || value.remaining() % 8 != 0) {
                throw new Damage("a free list entry has " + value.remaining() + " bytes");
            }
            long count = value.getLong(value.position());
            if (count != value.remaining() / 8 - 1) {
                throw new Damage("a free list entry says it holds " + count + " pages in " + value.remaining() + " bytes");
            }
            for (int i = 1; i <= count; i++) {
                long pgno = value.getLong(value.position() + 8 * i);
                if (pgno < 2 || pgno > Integer.MAX_VALUE || pages.get((int) pgno)) {
                    throw new Damage("the free list names page " + pgno + " twice or outside the file");
                }
                pages.set((int) pgno);
            }
        }

        void checkAgainst(BitSet reached, long lastPage) throws Damage {
            if (pages.length() - 1 > lastPage) {
                throw new Damage("the free list names page " + (pages.length() - 1) + " past the last page " + lastPage);
            }
            if (pages.intersects(reached)) {
                BitSet both = (BitSet) pages.clone();
                both.and(reached);
                throw new Damage("page " + both.nextSetBit(0) + " is both free and in use");
            }
        }
    }

    private void tree(ByteBuffer record, Kind kind, String what) throws Damage, IOException {
        tree(record, kind, null, what);
    }

    private void tree(ByteBuffer record, Kind kind, FreePages free, String what) throws Damage, IOException {
        int flags = record.getShort(record.position() + 4) & 0xFFFF;
        int depth = record.getShort(record.position() + 6) & 0xFFFF;
        long root = record.getLong(record.position() + 40);
        Counts stated = new Counts();
        stated.branch = record.getLong(record.position() + 8);
        stated.leaf = record.getLong(record.position() + 16);
        stated.overflow = record.getLong(record.position() + 24);
        stated.entries = record.getLong(record.position() + 32);
        if (root == NO_PAGE) {
            if (depth != 0 || stated.entries != 0) {
                throw new Damage(what + " has no root but depth " + depth + " and " + stated.entries + " entries");
            }
            return;
        }
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new Damage(what + " says it is " + depth + " levels deep");
        }
        boolean duplicates = kind == Kind.NAMED && (flags & MDB_DUPSORT) != 0;
        Counts found = new Counts();
        page(root, depth, kind, duplicates, free, found, what);
        if (found.branch != stated.branch || found.leaf != stated.leaf || found.overflow != stated.overflow
                || found.entries != stated.entries) {
            throw new Damage(what + " holds " + found.branch + "/" + found.leaf + "/" + found.overflow
                    + " branch/leaf/overflow pages and " + found.entries + " entries; its record says "
                    + stated.branch + "/" + stated.leaf + "/" + stated.overflow + " and " + stated.entries);
        }
    }

    private void page(long pgno, int depth, Kind kind, boolean duplicates, FreePages free, Counts counts, String what)
            throws Damage, IOException {
        reach(pgno, 1, what);
        ByteBuffer page = read(pgno, 1);
        if (page.getLong(0) != pgno) {
            throw new Damage("page " + pgno + " of " + what + " does not name itself");
        }
        int flags = page.getShort(10) & 0xFFFF;
        int type = flags & ~P_KEEP_OR_DIRTY;
        int expected = depth > 1 ? P_BRANCH : P_LEAF;
        if (type != expected) {
            throw new Damage("page " + pgno + " of " + what + " has flags " + Integer.toHexString(flags) + " at depth " + depth);
        }
        int keys = nodeCount(page, pageSize, "page " + pgno + " of " + what);
        if (depth > 1) {
            counts.branch++;
            if (keys < 2) {
                throw new Damage("branch page " + pgno + " of " + what + " has " + keys + " keys");
            }
            for (int k = 0; k < keys; k++) {
                int node = node(page, pageSize, k, "branch page " + pgno + " of " + what);
                long child = (page.getShort(node) & 0xFFFFL) | (page.getShort(node + 2) & 0xFFFFL) << 16
                        | (page.getShort(node + 4) & 0xFFFFL) << 32;
                page(child, depth - 1, kind, duplicates, free, counts, what);
            }
            return;
        }
        counts.leaf++;
        for (int k = 0; k < keys; k++) {
            int node = node(page, pageSize, k, "leaf page " + pgno + " of " + what);
            leafNode(page, node, kind, duplicates, free, counts, "leaf page " + pgno + " of " + what);
        }
    }

    private void leafNode(ByteBuffer page, int node, Kind kind, boolean duplicates, FreePages free, Counts counts,
            String where) throws Damage, IOException {
        long size = (page.getShort(node) & 0xFFFFL) | (page.getShort(node + 2) & 0xFFFFL) << 16;
        int nodeFlags = page.getShort(node + 4) & 0xFFFF;
        int keySize = page.getShort(node + 6) & 0xFFFF;
        int data = node + NODE_HEADER + keySize;
        if ((nodeFlags & ~(F_BIGDATA | F_SUBDATA | F_DUPDATA)) != 0) {
            throw new Damage(where + " has a node with flags " + Integer.toHexString(nodeFlags));
        }
        if (kind == Kind.DUPLICATES) {
            if (nodeFlags != 0 || size != 0 || data > page.limit()) {
                throw new Damage(where + " has a duplicate out of shape");
            }
            counts.entries++;
            return;
        }
        ByteBuffer value;
        if ((nodeFlags & F_BIGDATA) != 0) {
            if (nodeFlags != F_BIGDATA || data + 8 > page.limit()) {
                throw new Damage(where + " has a large value out of shape");
            }
            value = overflow(page.getLong(data), size, counts, where);
        } else {
            if (data + size > page.limit()) {
                throw new Damage(where + " has a value running past its end");
            }
            value = slice(page, data, (int) size);
        }
        switch (kind) {
            case MAIN -> {
                if (nodeFlags != F_SUBDATA || size != DB_RECORD) {
                    throw new Damage(where + " names a table out of shape");
                }
                tree(value, Kind.NAMED, "table " + new String(bytes(page, node + NODE_HEADER, keySize),
                        java.nio.charset.StandardCharsets.UTF_8));
                counts.entries++;
            }
            case FREE -> {
                if ((nodeFlags & (F_SUBDATA | F_DUPDATA)) != 0) {
                    throw new Damage(where + " has a free list entry out of shape");
                }
                free.add(value);
                counts.entries++;
            }
            case NAMED -> {
                if ((nodeFlags & F_SUBDATA) != 0 && (nodeFlags & F_DUPDATA) == 0) {
                    throw new Damage(where + " has a table inside a table");
                }
                if ((nodeFlags & F_DUPDATA) == 0) {
                    counts.entries++;
                } else if (!duplicates) {
                    throw new Damage(where + " has duplicates in a table without them");
                } else if ((nodeFlags & F_SUBDATA) != 0) {
                    if (size != DB_RECORD) {
                        throw new Damage(where + " has a tree of duplicates out of shape");
                    }
                    subTree(value, counts, where);
                } else {
                    counts.entries += subPage(value, where);
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** A tree of one key's duplicates, with its own record of pages and entries. */
    private void subTree(ByteBuffer record, Counts counts, String where) throws Damage, IOException {
        tree(record, Kind.DUPLICATES, where + ": its tree of duplicates");
        counts.entries += record.getLong(record.position() + 32);
    }

    /** A few duplicates kept inside the node: a small leaf page without a page number. Returns how many. */
    private static int subPage(ByteBuffer sub, String where) throws Damage {
        ByteBuffer page = sub.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (page.limit() < PAGE_HEADER) {
            throw new Damage(where + " has duplicates cut short");
        }
        int flags = page.getShort(10) & 0xFFFF;
        if ((flags & ~P_KEEP_OR_DIRTY) != (P_LEAF | P_SUBP)) {
            throw new Damage(where + " has duplicates with flags " + Integer.toHexString(flags));
        }
        int keys = nodeCount(page, page.limit(), where + ": its duplicates");
        for (int k = 0; k < keys; k++) {
            int node = node(page, page.limit(), k, where + ": its duplicates");
            int keySize = page.getShort(node + 6) & 0xFFFF;
            if (node + NODE_HEADER + keySize > page.limit()) {
                throw new Damage(where + " has a duplicate running past its end");
            }
        }
        return keys;
    }

    /** The value a large node keeps on its own pages, after checking those pages. */
    private ByteBuffer overflow(long pgno, long size, Counts counts, String where) throws Damage, IOException {
        long pages = (PAGE_HEADER + size + pageSize - 1) / pageSize;
        reach(pgno, pages, where);
        ByteBuffer first = read(pgno, 1);
        int flags = first.getShort(10) & 0xFFFF;
        if (first.getLong(0) != pgno || (flags & ~P_KEEP_OR_DIRTY) != P_OVERFLOW
                || (first.getInt(12) & 0xFFFFFFFFL) != pages) {
            throw new Damage("overflow page " + pgno + " from " + where + " is out of shape");
        }
        counts.overflow += pages;
        if (size > Integer.MAX_VALUE - PAGE_HEADER) {
            throw new Damage("a value of " + size + " bytes in " + where);
        }
        return slice(read(pgno, pages), PAGE_HEADER, (int) size);
    }

    /** Marks {@code pages} pages from {@code pgno} as reached, once. */
    private void reach(long pgno, long pages, String what) throws Damage {
        if (pgno < 2 || pages < 1 || pgno + pages - 1 > lastPage) {
            throw new Damage(what + " names page " + pgno + " outside its data file (last page " + lastPage + ")");
        }
        int from = (int) pgno;
        int to = (int) (pgno + pages);
        int already = reached.nextSetBit(from);
        if (already >= 0 && already < to) {
            throw new Damage("page " + already + " is reached twice, the second time from " + what);
        }
        reached.set(from, to);
    }

    private static int nodeCount(ByteBuffer page, int size, String what) throws Damage {
        int lower = page.getShort(12) & 0xFFFF;
        int upper = page.getShort(14) & 0xFFFF;
        if (lower < PAGE_HEADER || lower > upper || upper > size || ((lower - PAGE_HEADER) & 1) != 0) {
            throw new Damage(what + " has bounds out of shape");
        }
        return (lower - PAGE_HEADER) / 2;
    }

    /** The offset of node {@code k}, with its header and key inside the page. */
    private static int node(ByteBuffer page, int size, int k, String what) throws Damage {
        int upper = page.getShort(14) & 0xFFFF;
        int node = page.getShort(PAGE_HEADER + 2 * k) & 0xFFFF;
        if (node < upper || node + NODE_HEADER > size
                || node + NODE_HEADER + (page.getShort(node + 6) & 0xFFFF) > size) {
            throw new Damage(what + " has node " + k + " outside itself");
        }
        return node;
    }

    private ByteBuffer read(long pgno, long pages) throws Damage {
        long length = pages * pageSize;
        if (length > Integer.MAX_VALUE) {
            throw new Damage("a value of " + pages + " pages");
        }
        long at = pgno * pageSize;
        if (pgno < 0 || at + length > file.capacity()) {
            throw new Damage("page " + pgno + " lies past the end of its data file");
        }
        return file.slice((int) at, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer slice(ByteBuffer buf, int at, int length) {
        return buf.slice(at, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(ByteBuffer buf, int at, int length) {
        byte[] out = new byte[length];
        buf.get(at, out);
        return out;
    }
}
