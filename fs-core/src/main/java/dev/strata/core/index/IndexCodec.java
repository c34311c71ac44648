package dev.strata.core.index;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackType;

import java.nio.ByteBuffer;

/** Encodes index table values (docs/format.md §9); integers big-endian so that they sort. Stateless. */
final class IndexCodec {
    static final int CHUNK_VALUE_LENGTH = 4 + 8 + 4 + 4 + 1 + 1;
    static final int LOST_VALUE_LENGTH = 1 + 8 + 4 + 4 + 1 + 1;
    /** Indexes written before the flags byte have 17-byte pack values; they read as flags 0. */
    static final int PACK_VALUE_LENGTH = 4 + 1 + 8 + 4 + 1;
    static final int PACK_FLAG_SALVAGED = 1;

    private IndexCodec() {
    }

    static byte[] chunkValue(int packNumber, PackType type, PackEntry e) {
        return ByteBuffer.allocate(CHUNK_VALUE_LENGTH)
                .putInt(packNumber)
                .putLong(e.offset())
                .putInt(e.storedLength())
                .putInt(e.rawLength())
                .put((byte) e.compression().code())
                .put((byte) type.code())
                .array();
    }

    static int packNumberOf(byte[] chunkValue) {
        return ByteBuffer.wrap(chunkValue).getInt();
    }

    static PackEntry entryOf(ChunkId id, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        b.getInt();
        long offset = b.getLong();
        int stored = b.getInt();
        int raw = b.getInt();
        CompressionCode code = CompressionCode.fromCode(b.get() & 0xFF);
        return new PackEntry(id, offset, stored, raw, code);
    }

    static PackType typeOf(byte[] chunkValue) {
        return PackType.fromCode(chunkValue[CHUNK_VALUE_LENGTH - 1] & 0xFF);
    }

    static byte[] packValue(int number, PackType type, long size, int entries, boolean salvaged) {
        return ByteBuffer.allocate(PACK_VALUE_LENGTH).putInt(number).put((byte) type.code()).putLong(size).putInt(entries)
                .put((byte) (salvaged ? PACK_FLAG_SALVAGED : 0)).array();
    }

    static PackRecord packRecord(PackId id, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        int number = b.getInt();
        PackType type = PackType.fromCode(b.get() & 0xFF);
        long size = b.getLong();
        int entries = b.getInt();
        int flags = b.hasRemaining() ? b.get() & 0xFF : 0;
        return new PackRecord(id, number, type, size, entries, (flags & PACK_FLAG_SALVAGED) != 0);
    }

    /** Key of a lost copy: chunk id ‖ pack id, so that one chunk's lost copies sit together. */
    static byte[] lostKey(ChunkId chunk, PackId pack) {
        byte[] k = new byte[64];
        chunk.copyTo(k, 0);
        pack.copyTo(k, 32);
        return k;
    }

    static byte[] lostValue(LostChunk lost) {
        PackEntry e = lost.location().entry();
        return ByteBuffer.allocate(LOST_VALUE_LENGTH)
                .put((byte) lost.reason().code())
                .putLong(e.offset())
                .putInt(e.storedLength())
                .putInt(e.rawLength())
                .put((byte) e.compression().code())
                .put((byte) lost.location().type().code())
                .array();
    }

    static LostChunk lost(byte[] key, byte[] value) {
        ChunkId id = ChunkId.of(java.util.Arrays.copyOf(key, 32));
        PackId pack = PackId.of(key, 32);
        ByteBuffer b = ByteBuffer.wrap(value);
        LostChunk.Reason reason = LostChunk.Reason.fromCode(b.get() & 0xFF);
        long offset = b.getLong();
        int stored = b.getInt();
        int raw = b.getInt();
        CompressionCode code = CompressionCode.fromCode(b.get() & 0xFF);
        PackType type = PackType.fromCode(b.get() & 0xFF);
        return new LostChunk(new ChunkLocation(pack, type, new PackEntry(id, offset, stored, raw, code)), reason);
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static int u32(byte[] b) {
        return ByteBuffer.wrap(b).getInt();
    }
}
