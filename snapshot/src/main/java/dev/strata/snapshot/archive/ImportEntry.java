package dev.strata.snapshot.archive;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeCodec;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * One entry of an import's working table ({@link ImportTable}), and its bytes there: a folder (the id
 * its entries are kept under, and its metadata once the archive has given it) or a file, symlink or
 * special file. A node is stored as a tree object of one entry, so its encoding is the format's own.
 * Immutable.
 */
record ImportEntry(boolean isFolder, long folderId, Node node) {
    private static final byte LEAF = 1;
    private static final byte FOLDER = 2;
    private static final byte FOLDER_WITHOUT_METADATA = 3;

    /** A folder; {@code metadata} is null until the archive's entry for it is read. */
    static ImportEntry folder(long id, Node metadata) {
        return new ImportEntry(true, id, metadata);
    }

    static ImportEntry leaf(Node node) {
        return new ImportEntry(false, -1, node);
    }

    byte[] encode() {
        byte[] tree = node == null ? new byte[0] : TreeCodec.encode(new Tree(List.of(node)));
        if (!isFolder) {
            return ByteBuffer.allocate(1 + tree.length).put(LEAF).put(tree).array();
        }
        return ByteBuffer.allocate(1 + Long.BYTES + tree.length).put(node == null ? FOLDER_WITHOUT_METADATA : FOLDER)
                .putLong(folderId).put(tree).array();
    }

    static ImportEntry decode(byte[] v) {
        return switch (v[0]) {
            case LEAF -> leaf(node(v, 1));
            case FOLDER -> folder(ByteBuffer.wrap(v, 1, Long.BYTES).getLong(), node(v, 1 + Long.BYTES));
            case FOLDER_WITHOUT_METADATA -> folder(ByteBuffer.wrap(v, 1, Long.BYTES).getLong(), null);
            default -> throw new IllegalStateException("import table: unknown entry kind " + v[0]);
        };
    }

    private static Node node(byte[] v, int from) {
        try {
            return TreeCodec.decode(Arrays.copyOfRange(v, from, v.length), "import table entry").nodes().get(0);
        } catch (CorruptDataException e) {
            // The table is this process's own, written moments ago: damage here is a bug, not bad data.
            throw new UncheckedIOException(e);
        }
    }
}
