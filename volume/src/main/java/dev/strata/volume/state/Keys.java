package dev.strata.volume.state;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Key layouts of the volume's tables: big-endian numbers, so keys sort as the numbers do. Stateless. */
final class Keys {
    private Keys() {
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long u64(byte[] key, int offset) {
        return ByteBuffer.wrap(key, offset, 8).getLong();
    }

    /** {@code dirents}: parent inode, then the name's bytes. */
    static byte[] entry(long parent, byte[] name) {
        return ByteBuffer.allocate(8 + name.length).putLong(parent).put(name).array();
    }

    static byte[] entryName(byte[] key) {
        return Arrays.copyOfRange(key, 8, key.length);
    }

    /** {@code versions}: the path's bytes, NUL, time in nanoseconds, sequence number. */
    static byte[] version(byte[] path, long timeNanos, long seq) {
        return ByteBuffer.allocate(path.length + 17).put(path).put((byte) 0).putLong(timeNanos).putLong(seq).array();
    }

    /** The prefix of every version key of one path. */
    static byte[] versionsOf(byte[] path) {
        return ByteBuffer.allocate(path.length + 1).put(path).put((byte) 0).array();
    }

    /** {@code history}: a folder's path bytes, NUL, a child's name: what the versions tree lists. */
    static byte[] historyChild(byte[] folderPath, byte[] child) {
        return ByteBuffer.allocate(folderPath.length + 1 + child.length).put(folderPath).put((byte) 0).put(child).array();
    }

    static byte[] historyChildrenOf(byte[] folderPath) {
        return versionsOf(folderPath);
    }
}
