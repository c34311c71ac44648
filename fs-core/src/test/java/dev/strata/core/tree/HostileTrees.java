package dev.strata.core.tree;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tree objects and content lists as an attacker who holds the key could write them, byte by byte
 * (docs/format.md §10): names that escape a folder, counts and sizes no real tree has. Shared with
 * the tests of restore and the mount through the test-jar. Stateless.
 */
public final class HostileTrees {
    private HostileTrees() {
    }

    /** A tree of one entry named {@code name}, whatever it is: a file of {@code content}, or a folder. */
    public static byte[] treeWithName(byte[] name, ChunkId subtreeOrNull, List<ChunkRef> fileContent) {
        ByteSink s = header(1);
        node(s, name, subtreeOrNull, fileContent, -1);
        return s.toArray();
    }

    public static byte[] treeWithName(String name, ChunkId subtreeOrNull, List<ChunkRef> fileContent) {
        return treeWithName(name.getBytes(StandardCharsets.UTF_8), subtreeOrNull, fileContent);
    }

    /** A tree that says it holds {@code count} entries and holds {@code padding} zero bytes. */
    public static byte[] treeClaimingEntries(long count, int padding) {
        ByteSink s = header(count);
        s.raw(new byte[padding]);
        return s.toArray();
    }

    /** A file node whose references and declared size are given as they are, with no checks. */
    public static byte[] treeWithFile(String name, List<ChunkRef> refs, long declaredSize) {
        ByteSink s = header(1);
        node(s, name.getBytes(StandardCharsets.UTF_8), null, refs, declaredSize);
        return s.toArray();
    }

    /** A file node that claims {@code xattrs} extended attributes and has none. */
    public static byte[] treeClaimingXattrs(long xattrs) {
        ByteSink s = header(1);
        fixedPart(s, "f".getBytes(StandardCharsets.UTF_8), NodeType.FILE, 0);
        s.varint(xattrs);
        return s.toArray();
    }

    /** A file node that claims {@code refs} inline references and has none. */
    public static byte[] treeClaimingReferences(long refs) {
        ByteSink s = header(1);
        fixedPart(s, "f".getBytes(StandardCharsets.UTF_8), NodeType.FILE, 0);
        s.varint(0);
        s.u8(0);
        s.varint(refs);
        return s.toArray();
    }

    /** A content list that claims {@code refs} references and holds {@code padding} zero bytes. */
    public static byte[] contentListClaiming(long refs, int padding) {
        ByteSink s = new ByteSink();
        s.raw("STRL".getBytes(StandardCharsets.US_ASCII));
        s.u8(1);
        s.varint(refs);
        s.raw(new byte[padding]);
        return s.toArray();
    }

    private static ByteSink header(long count) {
        ByteSink s = new ByteSink();
        s.raw("STRT".getBytes(StandardCharsets.US_ASCII));
        s.u8(1);
        s.varint(count);
        return s;
    }

    private static void fixedPart(ByteSink s, byte[] name, NodeType type, long size) {
        s.bytes(name);
        s.u8(type.code());
        s.varint(0644);
        s.varint(1000);
        s.varint(1000);
        s.bytes(new byte[0]);
        s.bytes(new byte[0]);
        for (int i = 0; i < 3; i++) {
            s.time(Timestamp.EPOCH);
        }
        s.varint(1);
        s.varint(1);
        s.varint(1);
        s.varint(0);
        s.varint(size);
    }

    /** One node; {@code declaredSize} below zero means the true size of {@code content}. */
    private static void node(ByteSink s, byte[] name, ChunkId subtree, List<ChunkRef> content, long declaredSize) {
        boolean dir = subtree != null;
        long size = 0;
        if (!dir) {
            for (ChunkRef r : content) {
                size += r.length();
            }
        }
        fixedPart(s, name, dir ? NodeType.DIRECTORY : NodeType.FILE, declaredSize >= 0 || declaredSize < -1 ? declaredSize : size);
        s.varint(0);
        if (dir) {
            s.raw(subtree.bytes());
        } else {
            s.u8(0);
            s.varint(content.size());
            for (ChunkRef r : content) {
                if (r.isHole()) {
                    s.u8(1);
                } else {
                    s.u8(0);
                    s.raw(r.id().bytes());
                }
                s.varint(r.length());
            }
        }
        s.varint(0);
    }
}
