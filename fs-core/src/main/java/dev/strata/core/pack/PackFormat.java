package dev.strata.core.pack;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The byte layout of packs (docs/format.md §5): header, entry AAD, table and trailer codecs. Stateless. */
final class PackFormat {
    static final byte[] MAGIC = "STRATAPK".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TRAILER_MAGIC = "STRATAPT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** A pack whose ids are under a volume's own key: its header ends with the volume id. */
    static final int VERSION_VOLUME_KEY = 2;
    static final int HEADER_LENGTH = 48;
    static final int VOLUME_HEADER_LENGTH = HEADER_LENGTH + 16;
    static final int TRAILER_LENGTH = 16;
    static final int TABLE_ENTRY_LENGTH = 52;
    static final int ENTRY_OVERHEAD = Aes256GcmCipher.OVERHEAD;
    static final int AAD_LENGTH = 32 + 1 + 4;

    private PackFormat() {
    }

    static byte[] header(PackId id, PackType type) {
        return header(id, type, KeySpace.REPOSITORY);
    }

    static byte[] header(PackId id, PackType type, KeySpace space) {
        byte[] h = new byte[headerLength(space)];
        System.arraycopy(MAGIC, 0, h, 0, 8);
        h[8] = (byte) (space.isRepository() ? VERSION : VERSION_VOLUME_KEY);
        h[9] = (byte) type.code();
        id.copyTo(h, 16);
        if (!space.isRepository()) {
            System.arraycopy(space.volumeId(), 0, h, HEADER_LENGTH, 16);
        }
        return h;
    }

    static int headerLength(KeySpace space) {
        return space.isRepository() ? HEADER_LENGTH : VOLUME_HEADER_LENGTH;
    }

    /** What a pack's header says: its type, key space, and the header's own bytes (the table's AAD). */
    record Header(PackType type, KeySpace space, byte[] bytes) {
        int length() {
            return bytes.length;
        }
    }

    /** Checks an exact header read from the pack named {@code expected}; returns its type. */
    static PackType parseHeader(byte[] h, PackId expected) throws CorruptDataException {
        Header header = readHeader(h, expected);
        if (header.length() != h.length) {
            throw corrupt(expected, "header of " + h.length + " bytes, its version has " + header.length());
        }
        return header.type();
    }

    /**
     * Checks the header at the start of {@code prefix} (the pack's first bytes, at least as many as its
     * version's header has) of the pack named {@code expected}.
     */
    static Header readHeader(byte[] prefix, PackId expected) throws CorruptDataException {
        if (prefix.length < HEADER_LENGTH || !Arrays.equals(prefix, 0, 8, MAGIC, 0, 8)) {
            throw corrupt(expected, "bad header magic");
        }
        int version = prefix[8] & 0xFF;
        if (version != VERSION && version != VERSION_VOLUME_KEY) {
            throw corrupt(expected, "unknown pack version " + version);
        }
        for (int i = 10; i < 16; i++) {
            if (prefix[i] != 0) {
                throw corrupt(expected, "reserved header bytes are not zero");
            }
        }
        if (!PackId.of(prefix, 16).equals(expected)) {
            throw corrupt(expected, "header names pack " + PackId.of(prefix, 16).shortString());
        }
        PackType type;
        try {
            type = PackType.fromCode(prefix[9] & 0xFF);
        } catch (IllegalArgumentException e) {
            throw corrupt(expected, e.getMessage());
        }
        if (version == VERSION) {
            return new Header(type, KeySpace.REPOSITORY, Arrays.copyOf(prefix, HEADER_LENGTH));
        }
        if (prefix.length < VOLUME_HEADER_LENGTH) {
            throw corrupt(expected, "a version 2 header is cut short");
        }
        if (type != PackType.DATA) {
            throw corrupt(expected, "a version 2 pack of type " + type);
        }
        KeySpace space = KeySpace.ofVolume(Arrays.copyOfRange(prefix, HEADER_LENGTH, VOLUME_HEADER_LENGTH));
        return new Header(type, space, Arrays.copyOf(prefix, VOLUME_HEADER_LENGTH));
    }

    static byte[] entryAad(ChunkId id, CompressionCode compression, int rawLength) {
        byte[] aad = new byte[AAD_LENGTH];
        id.copyTo(aad, 0);
        aad[32] = (byte) compression.code();
        ByteBuffer.wrap(aad, 33, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(rawLength);
        return aad;
    }

    static byte[] encodeTable(List<PackEntry> entries) {
        ByteBuffer b = ByteBuffer.allocate(4 + entries.size() * TABLE_ENTRY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(entries.size());
        byte[] id = new byte[32];
        for (PackEntry e : entries) {
            e.id().copyTo(id, 0);
            b.put(id);
            b.putLong(e.offset());
            b.putInt(e.storedLength());
            b.putInt(e.rawLength());
            b.put((byte) e.compression().code());
            b.put(new byte[3]);
        }
        return b.array();
    }

    /**
     * Decodes a table and checks that its entries tile the pack from the header to {@code tableOffset}
     * exactly.
     */
    static List<PackEntry> decodeTable(byte[] plain, PackId pack, long tableOffset) throws CorruptDataException {
        return decodeTable(plain, pack, HEADER_LENGTH, tableOffset);
    }

    /** As above, for a pack whose entries start at {@code entriesOffset} (the end of its header). */
    static List<PackEntry> decodeTable(byte[] plain, PackId pack, int entriesOffset, long tableOffset) throws CorruptDataException {
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        if (plain.length < 4) {
            throw corrupt(pack, "table too short");
        }
        int n = b.getInt();
        if (n < 0 || (long) n * TABLE_ENTRY_LENGTH != plain.length - 4L) {
            throw corrupt(pack, "table length does not match its " + n + " entries");
        }
        List<PackEntry> out = new ArrayList<>(n);
        long expectedOffset = entriesOffset;
        byte[] id = new byte[32];
        for (int i = 0; i < n; i++) {
            b.get(id);
            long offset = b.getLong();
            int stored = b.getInt();
            int raw = b.getInt();
            int code = b.get() & 0xFF;
            if (b.get() != 0 || b.get() != 0 || b.get() != 0) {
                throw corrupt(pack, "table entry " + i + " has non-zero reserved bytes");
            }
            if (offset != expectedOffset) {
                throw corrupt(pack, "table entry " + i + " at offset " + offset + ", expected " + expectedOffset);
            }
            try {
                PackEntry e = new PackEntry(ChunkId.of(id), offset, stored, raw, CompressionCode.fromCode(code));
                out.add(e);
                expectedOffset = e.end();
            } catch (IllegalArgumentException bad) {
                throw corrupt(pack, "table entry " + i + ": " + bad.getMessage());
            }
        }
        if (expectedOffset != tableOffset) {
            throw corrupt(pack, "entries end at " + expectedOffset + " but the table starts at " + tableOffset);
        }
        return out;
    }

    static byte[] trailer(int tableLength) {
        ByteBuffer b = ByteBuffer.allocate(TRAILER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tableLength);
        b.putInt(0);
        b.put(TRAILER_MAGIC);
        return b.array();
    }

    /** The table envelope's length from a trailer; checks the magic and that it fits in {@code packSize}. */
    static int parseTrailer(byte[] t, PackId pack, long packSize) throws CorruptDataException {
        if (!Arrays.equals(t, 8, 16, TRAILER_MAGIC, 0, 8)) {
            throw corrupt(pack, "bad trailer magic (truncated or torn pack?)");
        }
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        int tableLength = b.getInt();
        if (b.getInt() != 0) {
            throw corrupt(pack, "reserved trailer bytes are not zero");
        }
        if (tableLength < ENTRY_OVERHEAD + 4 || tableLength > packSize - HEADER_LENGTH - TRAILER_LENGTH) {
            throw corrupt(pack, "table length " + tableLength + " does not fit a pack of " + packSize + " bytes");
        }
        return tableLength;
    }

    static CorruptDataException corrupt(PackId pack, String what) {
        return new CorruptDataException("pack " + pack + ": " + what);
    }
}
