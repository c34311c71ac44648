package dev.strata.core.pack;

import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.Hex;
import dev.strata.core.id.PackId;
import dev.strata.core.compress.CompressionCode;

import javax.crypto.AEADBadTagException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Index files, {@code index/<id>} (docs/format.md §9.1): the tables of many packs in one sealed blob,
 * written by the process that stored the packs, so that a client whose cache is empty reads one blob
 * for many packs instead of each pack's table. Stateless, thread-safe.
 */
public final class IndexFile {
    static final byte[] MAGIC = "STRATAIX".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final byte[] AAD = "strata-index/v1".getBytes(StandardCharsets.US_ASCII);
    /** An index file larger than this is damaged, whatever it says (it would describe millions of packs). */
    public static final long MAX_BYTES = 256L << 20;
    /** Pack id, type, size, entry count. */
    private static final int PACK_FIXED = 32 + 1 + 8 + 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    private IndexFile() {
    }

    /** A fresh name: 32 random bytes, as a pack's. */
    public static BlobName newName() {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        return BlobName.of(BlobType.INDEX, Hex.encode(id));
    }

    /**
     * Whether an index file can describe this pack: its entries tile it from the header to a table of
     * that many entries and the trailer, as a pack Strata writes (not one whose entries the index lost).
     */
    public static boolean describable(PackTable p) {
        long expected = PackFormat.HEADER_LENGTH;
        for (PackEntry e : p.entries()) {
            if (e.offset() != expected) {
                return false;
            }
            expected = e.end();
        }
        return expected + tail(p.entries().size()) == p.size();
    }

    private static long tail(int entries) {
        return PackFormat.ENTRY_OVERHEAD + 4L + (long) entries * PackFormat.TABLE_ENTRY_LENGTH + PackFormat.TRAILER_LENGTH;
    }

    /** Bytes an index file's plaintext takes per pack and per entry, for callers that bound a file's size. */
    public static long describedBytes(int packs, long entries) {
        return (long) packs * PACK_FIXED + entries * PackFormat.TABLE_ENTRY_LENGTH;
    }

    /** The sealed blob describing {@code packs}. */
    public static byte[] seal(Aes256GcmCipher dataCipher, List<PackTable> packs) {
        int length = MAGIC.length + 1 + 4;
        for (PackTable p : packs) {
            length += PACK_FIXED + p.entries().size() * PackFormat.TABLE_ENTRY_LENGTH;
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) VERSION).putInt(packs.size());
        byte[] id = new byte[32];
        for (PackTable p : packs) {
            p.id().copyTo(id, 0);
            b.put(id).put((byte) p.type().code()).putLong(p.size()).putInt(p.entries().size());
            for (PackEntry e : p.entries()) {
                e.id().copyTo(id, 0);
                b.put(id).putLong(e.offset()).putInt(e.storedLength()).putInt(e.rawLength())
                        .put((byte) e.compression().code()).put(new byte[3]);
            }
        }
        return dataCipher.seal(b.array(), AAD);
    }

    /**
     * The packs an index file describes, authenticated. Each pack's entries must tile it from the
     * header on, as its own table's do (§5.2), and leave room for a table and trailer.
     */
    public static List<PackTable> open(Aes256GcmCipher dataCipher, byte[] envelope, String name) throws CorruptDataException {
        byte[] plain;
        try {
            plain = dataCipher.open(envelope, 0, envelope.length, AAD);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new CorruptDataException("index file " + name + " fails authentication", e);
        }
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC) || (b.get() & 0xFF) != VERSION) {
                throw damaged(name, "unknown magic or version");
            }
            int count = b.getInt();
            if (count < 0 || (long) count * PACK_FIXED > b.remaining()) {
                throw damaged(name, "it cannot hold " + count + " packs");
            }
            List<PackTable> out = new ArrayList<>(count);
            byte[] id = new byte[32];
            for (int i = 0; i < count; i++) {
                b.get(id);
                PackId pack = PackId.of(id);
                PackType type = PackType.fromCode(b.get() & 0xFF);
                long size = b.getLong();
                int n = b.getInt();
                if (n < 0 || (long) n * PackFormat.TABLE_ENTRY_LENGTH > b.remaining()) {
                    throw damaged(name, "pack " + pack.shortString() + " cannot have " + n + " entries");
                }
                List<PackEntry> entries = new ArrayList<>(n);
                long expected = PackFormat.HEADER_LENGTH;
                for (int j = 0; j < n; j++) {
                    b.get(id);
                    long offset = b.getLong();
                    int stored = b.getInt();
                    int raw = b.getInt();
                    int code = b.get() & 0xFF;
                    if (b.get() != 0 || b.get() != 0 || b.get() != 0 || offset != expected) {
                        throw damaged(name, "entry " + j + " of pack " + pack.shortString() + " is out of place");
                    }
                    PackEntry e = new PackEntry(ChunkId.of(id), offset, stored, raw, CompressionCode.fromCode(code));
                    entries.add(e);
                    expected = e.end();
                }
                if (expected + tail(n) != size) {
                    throw damaged(name, "pack " + pack.shortString() + " of " + size + " bytes does not fit its entries");
                }
                out.add(new PackTable(pack, type, size, entries));
            }
            if (b.hasRemaining()) {
                throw damaged(name, b.remaining() + " bytes after the last pack");
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw damaged(name, "cut short");
        } catch (IllegalArgumentException e) {
            throw damaged(name, e.getMessage());
        }
    }

    private static CorruptDataException damaged(String name, String what) {
        return new CorruptDataException("index file " + name + " is damaged: " + what);
    }
}
