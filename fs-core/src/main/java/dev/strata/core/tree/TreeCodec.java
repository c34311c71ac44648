package dev.strata.core.tree;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.name.NameBytes;
import dev.strata.core.name.Printable;
import dev.strata.core.store.ChunkRef;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Encodes and decodes tree objects and content lists (docs/format.md §10). Stateless, thread-safe. */
public final class TreeCodec {
    private static final byte[] TREE_MAGIC = "STRT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LIST_MAGIC = "STRL".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int FORM_INLINE = 0;
    private static final int FORM_INDIRECT = 1;
    private static final int REF_CHUNK = 0;
    private static final int REF_HOLE = 1;
    /** The fewest bytes a node takes (a fifo with one-byte name and empty owner names). */
    private static final int MIN_NODE_BYTES = 20;
    /** The fewest bytes a content reference takes (a hole of a length below 128). */
    private static final int MIN_REF_BYTES = 2;
    /** The fewest bytes an xattr takes (one-byte name, empty value). */
    private static final int MIN_XATTR_BYTES = 3;
    /** The fewest bytes a content list entry of an indirect file takes. */
    private static final int MIN_BLOCK_BYTES = 34;
    /** Lists grow from here rather than trusting a count read from the data. */
    private static final int INITIAL_CAPACITY = 64;

    private TreeCodec() {
    }

    public static byte[] encode(Tree tree) {
        Encoder e = new Encoder();
        tree.nodes().forEach(e::add);
        return e.finish();
    }

    /**
     * Encodes a tree one entry at a time, keeping only the bytes (the same bytes as {@link #encode}):
     * for a folder too wide to hold as nodes. Entries must come in name order ({@link Names#ORDER}).
     * Confined to one thread.
     */
    public static final class Encoder {
        private final ByteSink body = new ByteSink();
        private int count;
        private String last;

        public void add(Node n) {
            if (last != null) {
                int c = Names.ORDER.compare(last, n.name());
                if (c >= 0) {
                    throw new IllegalArgumentException(c == 0 ? "two entries named '" + n.name() + "'"
                            : "entry '" + n.name() + "' comes after '" + last + "'");
                }
            }
            last = n.name();
            encodeNode(body, n);
            count++;
        }

        /** The tree's bytes: the header, then the entries copied once into an array of the exact size. */
        public byte[] finish() {
            ByteSink head = new ByteSink();
            head.raw(TREE_MAGIC);
            head.u8(VERSION);
            head.varint(count);
            return head.concat(body);
        }
    }

    /**
     * The entries of a tree, decoded one at a time as they are iterated, with the checks of
     * {@link #decode}: for a folder too wide to hold as nodes. The header is checked here; damage further
     * on is thrown by the iterator as an {@link java.io.UncheckedIOException} around a
     * {@link CorruptDataException}, after the entries before it.
     */
    public static Iterable<Node> nodes(byte[] data, String what) throws CorruptDataException {
        ByteSource src = new ByteSource(data, what);
        int n = header(src);
        int start = src.position();
        return () -> new java.util.Iterator<>() {
            private final ByteSource in = src.copyAt(start);
            private int i;
            private byte[] previous;

            @Override
            public boolean hasNext() {
                if (i < n) {
                    return true;
                }
                if (i == n && !in.atEnd()) {
                    i++;
                    throw new java.io.UncheckedIOException(in.corrupt(in.remaining() + " bytes after the last entry"));
                }
                return false;
            }

            @Override
            public Node next() {
                if (i >= n) {
                    throw new java.util.NoSuchElementException();
                }
                try {
                    byte[] name = in.bytes();
                    if (previous != null && Arrays.compareUnsigned(previous, name) >= 0) {
                        throw in.corrupt("entries not strictly sorted at '" + Printable.of(NameBytes.decode(name)) + "'");
                    }
                    previous = name;
                    i++;
                    return decodeNode(in, name);
                } catch (CorruptDataException e) {
                    i = n + 1;
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    /** Checks a tree object's magic and version and reads its entry count, leaving {@code src} at the first entry. */
    private static int header(ByteSource src) throws CorruptDataException {
        if (!Arrays.equals(src.raw(4), TREE_MAGIC)) {
            throw src.corrupt("not a tree object");
        }
        int version = src.u8();
        if (version != VERSION) {
            throw src.corrupt("unknown tree version " + version);
        }
        return src.count(MIN_NODE_BYTES);
    }

    /** Decodes a tree; {@code what} names it in errors ("tree 1a2b3c4d"). */
    public static Tree decode(byte[] data, String what) throws CorruptDataException {
        ByteSource src = new ByteSource(data, what);
        int n = header(src);
        List<Node> nodes = new ArrayList<>(Math.min(n, INITIAL_CAPACITY));
        byte[] previous = null;
        for (int i = 0; i < n; i++) {
            byte[] name = src.bytes();
            if (previous != null && Arrays.compareUnsigned(previous, name) >= 0) {
                throw src.corrupt("entries not strictly sorted at '" + Printable.of(NameBytes.decode(name)) + "'");
            }
            previous = name;
            nodes.add(decodeNode(src, name));
        }
        if (!src.atEnd()) {
            throw src.corrupt(src.remaining() + " bytes after the last entry");
        }
        return new Tree(nodes);
    }

    public static byte[] encodeContentList(List<ChunkRef> refs) {
        ByteSink s = new ByteSink();
        s.raw(LIST_MAGIC);
        s.u8(VERSION);
        encodeRefs(s, refs);
        return s.toArray();
    }

    public static List<ChunkRef> decodeContentList(byte[] data, String what) throws CorruptDataException {
        ByteSource src = new ByteSource(data, what);
        if (!Arrays.equals(src.raw(4), LIST_MAGIC)) {
            throw src.corrupt("not a content list");
        }
        int version = src.u8();
        if (version != VERSION) {
            throw src.corrupt("unknown content list version " + version);
        }
        List<ChunkRef> refs = decodeRefs(src);
        if (!src.atEnd()) {
            throw src.corrupt("bytes after the last reference");
        }
        return refs;
    }

    private static void encodeNode(ByteSink s, Node n) {
        s.name(n.name());
        s.u8(n.type().code());
        s.varint(n.mode());
        s.varint(n.uid());
        s.varint(n.gid());
        s.string(n.user());
        s.string(n.group());
        s.time(n.atime());
        s.time(n.mtime());
        s.time(n.ctime());
        s.varint(n.inode());
        s.varint(n.device());
        s.varint(n.links());
        s.varint(n.rdev());
        s.varint(n.size());
        s.varint(n.xattrs().size());
        for (Xattr x : n.xattrs()) {
            s.name(x.name());
            s.bytes(x.value());
        }
        switch (n.type()) {
            case FILE:
                if (n.content() instanceof FileContent.Inline) {
                    s.u8(FORM_INLINE);
                    encodeRefs(s, ((FileContent.Inline) n.content()).refs());
                } else {
                    List<ContentBlock> blocks = ((FileContent.Indirect) n.content()).blocks();
                    s.u8(FORM_INDIRECT);
                    s.varint(blocks.size());
                    for (ContentBlock b : blocks) {
                        s.raw(b.list().bytes());
                        s.varint(b.bytes());
                        s.varint(b.references());
                    }
                }
                break;
            case DIRECTORY:
                s.raw(n.subtree().bytes());
                break;
            case SYMLINK:
                s.bytes(n.linkTarget());
                break;
            default:
                break;
        }
        s.varint(n.flags());
    }

    /** Decodes the rest of a node whose name's bytes were just read. */
    private static Node decodeNode(ByteSource src, byte[] nameBytes) throws CorruptDataException {
        String name = NameBytes.decode(nameBytes);
        if (!Names.isSafe(name)) {
            throw src.corrupt("unsafe entry name '" + Printable.of(name) + "'");
        }
        NodeType type;
        try {
            type = NodeType.fromCode(src.u8());
        } catch (IllegalArgumentException e) {
            throw src.corrupt(e.getMessage());
        }
        Node.Builder b = Node.builder(name, type);
        int mode = src.smallInt(07777);
        b.mode(mode);
        long uid = src.varint();
        long gid = src.varint();
        b.owner(uid, gid, src.string(), src.string());
        b.times(src.time(), src.time(), src.time());
        long inode = src.varint();
        long device = src.varint();
        b.identity(inode, device, src.varint());
        b.rdev(src.varint());
        long size = src.length();
        b.size(size);
        int xattrCount = src.count(MIN_XATTR_BYTES);
        List<Xattr> xattrs = new ArrayList<>(Math.min(xattrCount, INITIAL_CAPACITY));
        for (int i = 0; i < xattrCount; i++) {
            String xn = NameBytes.decode(src.bytes());
            if (xn.isEmpty() || xn.indexOf('\0') >= 0) {
                throw src.corrupt("bad xattr name");
            }
            xattrs.add(new Xattr(xn, src.bytes()));
        }
        b.xattrs(xattrs);
        switch (type) {
            case FILE:
                int form = src.u8();
                if (form == FORM_INLINE) {
                    b.content(new FileContent.Inline(decodeRefs(src)));
                } else if (form == FORM_INDIRECT) {
                    int k = src.count(MIN_BLOCK_BYTES);
                    if (k == 0) {
                        throw src.corrupt("indirect content without lists");
                    }
                    List<ContentBlock> blocks = new ArrayList<>(Math.min(k, INITIAL_CAPACITY));
                    long total = 0;
                    for (int i = 0; i < k; i++) {
                        ChunkId id = ChunkId.of(src.raw(32));
                        long bytes = src.length();
                        int refs = src.smallInt(Integer.MAX_VALUE);
                        if (bytes <= 0 || refs <= 0) {
                            throw src.corrupt("empty content list");
                        }
                        total = addLength(src, total, bytes);
                        blocks.add(new ContentBlock(id, bytes, refs));
                    }
                    b.content(new FileContent.Indirect(blocks));
                } else {
                    throw src.corrupt("unknown content form " + form);
                }
                break;
            case DIRECTORY:
                b.subtree(ChunkId.of(src.raw(32)));
                break;
            case SYMLINK:
                b.linkTarget(src.bytes());
                break;
            default:
                break;
        }
        b.flags(src.smallInt(Integer.MAX_VALUE));
        try {
            Node node = b.build();
            if (type == NodeType.FILE && node.size() != size) {
                throw src.corrupt("file '" + Printable.of(name) + "' has size " + size + " but content of " + node.size() + " bytes");
            }
            if (type == NodeType.SYMLINK && node.size() != size) {
                throw src.corrupt("symlink '" + Printable.of(name) + "' target length mismatch");
            }
            return node;
        } catch (IllegalArgumentException e) {
            throw src.corrupt(e.getMessage());
        }
    }

    private static void encodeRefs(ByteSink s, List<ChunkRef> refs) {
        s.varint(refs.size());
        for (ChunkRef r : refs) {
            if (r.isHole()) {
                s.u8(REF_HOLE);
            } else {
                s.u8(REF_CHUNK);
                s.raw(r.id().bytes());
            }
            s.varint(r.length());
        }
    }

    private static List<ChunkRef> decodeRefs(ByteSource src) throws CorruptDataException {
        int r = src.count(MIN_REF_BYTES);
        List<ChunkRef> refs = new ArrayList<>(Math.min(r, INITIAL_CAPACITY));
        long total = 0;
        for (int i = 0; i < r; i++) {
            int kind = src.u8();
            if (kind == REF_CHUNK) {
                ChunkId id = ChunkId.of(src.raw(32));
                long len = src.length();
                if (len <= 0 || len > Integer.MAX_VALUE) {
                    throw src.corrupt("chunk length " + len + " out of range");
                }
                total = addLength(src, total, len);
                refs.add(ChunkRef.chunk(id, len));
            } else if (kind == REF_HOLE) {
                long len = src.length();
                if (len <= 0) {
                    throw src.corrupt("hole length " + len + " out of range");
                }
                total = addLength(src, total, len);
                refs.add(ChunkRef.hole(len));
            } else {
                throw src.corrupt("unknown content reference kind " + kind);
            }
        }
        return refs;
    }

    /** {@code total + more}, refusing content longer than a file can be (2^63 - 1 bytes). */
    private static long addLength(ByteSource src, long total, long more) throws CorruptDataException {
        if (total > Long.MAX_VALUE - more) {
            throw src.corrupt("content longer than 2^63 bytes");
        }
        return total + more;
    }
}
