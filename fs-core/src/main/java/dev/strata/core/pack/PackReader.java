package dev.strata.core.pack;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;

import javax.crypto.AEADBadTagException;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** Reads packs from a backend: their tables, single chunks, and whole-pack verification. Thread-safe. */
public final class PackReader {
    /** How much of a pack's tail one read fetches, hoping to get trailer and table together. */
    private static final int TAIL_GUESS = 64 * 1024;
    /** Packs are verified in memory; the largest a pack can be is far below this (config ≤ 1 GiB). */
    private static final long MAX_VERIFIED_SIZE = Integer.MAX_VALUE - 64;

    private final Backend backend;
    private final Aes256GcmCipher tableCipher;
    private final EntryCipher entryCipher;

    public PackReader(Backend backend, EntryCipher entryCipher) {
        this.backend = backend;
        this.entryCipher = entryCipher;
        this.tableCipher = entryCipher.cipher();
    }

    public static BlobName blobName(PackId id) {
        return BlobName.of(BlobType.PACK, id.toString());
    }

    /** The pack's type and entries, read from its tail only. */
    public PackTable readTable(PackId id) throws IOException {
        BlobName name = blobName(id);
        long size = backend.size(name);
        if (size < PackFormat.HEADER_LENGTH + PackFormat.TRAILER_LENGTH) {
            throw PackFormat.corrupt(id, "only " + size + " bytes long");
        }
        int tailLength = (int) Math.min(size, TAIL_GUESS);
        byte[] tail = read(name, id, size - tailLength, tailLength);
        int tableLength = PackFormat.parseTrailer(
                Arrays.copyOfRange(tail, tail.length - PackFormat.TRAILER_LENGTH, tail.length), id, size);
        long tableOffset = size - PackFormat.TRAILER_LENGTH - tableLength;
        byte[] table;
        if (tableLength + PackFormat.TRAILER_LENGTH <= tailLength) {
            int from = tailLength - PackFormat.TRAILER_LENGTH - tableLength;
            table = Arrays.copyOfRange(tail, from, from + tableLength);
        } else {
            table = read(name, id, tableOffset, tableLength);
        }
        PackFormat.Header header = PackFormat.readHeader(read(name, id, 0, PackFormat.VOLUME_HEADER_LENGTH), id);
        return new PackTable(id, header.type(), size, openTable(id, header, table, tableOffset), header.space());
    }

    /** The key space the pack's ids are under, from its header (docs/format.md §5.1). */
    public KeySpace keySpaceOf(PackId id) throws IOException {
        BlobName name = blobName(id);
        long size = backend.size(name);
        if (size < PackFormat.HEADER_LENGTH + PackFormat.TRAILER_LENGTH) {
            throw PackFormat.corrupt(id, "only " + size + " bytes long");
        }
        return PackFormat.readHeader(read(name, id, 0, PackFormat.VOLUME_HEADER_LENGTH), id).space();
    }

    /** One entry's stored bytes (its envelope), authenticated but left sealed, for copying into another pack. */
    public SealedEntry readSealed(PackId pack, PackEntry entry) throws IOException {
        byte[] envelope = read(blobName(pack), pack, entry.offset(), entry.storedLength());
        entryCipher.open(pack, entry, envelope, 0);
        return new SealedEntry(entry.id(), entry.compression(), entry.rawLength(), envelope);
    }

    /** One chunk's payload as stored (compressed as its entry says), authenticated, not decompressed. */
    public byte[] readStored(PackId pack, PackEntry entry) throws IOException {
        byte[] envelope = read(blobName(pack), pack, entry.offset(), entry.storedLength());
        return entryCipher.openStored(pack, entry, envelope, 0);
    }

    /** One chunk's plaintext, authenticated and decompressed. */
    public byte[] readChunk(PackId pack, PackEntry entry) throws IOException {
        byte[] envelope = read(blobName(pack), pack, entry.offset(), entry.storedLength());
        return entryCipher.open(pack, entry, envelope, 0);
    }

    /**
     * The plaintexts of several entries of one pack, in the order given, read with one ranged read from
     * the first entry's start to the last one's end (so the entries should lie close together, sorted
     * by offset); each is authenticated on its own.
     */
    public List<byte[]> readChunks(PackId pack, List<PackEntry> entries) throws IOException {
        if (entries.isEmpty()) {
            return List.of();
        }
        long from = entries.get(0).offset();
        long to = from;
        for (PackEntry e : entries) {
            if (e.offset() < from) {
                throw new IllegalArgumentException("entries of pack " + pack.shortString() + " out of order");
            }
            to = Math.max(to, e.end());
        }
        if (to - from > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("a run of " + (to - from) + " bytes is too long for one read");
        }
        byte[] run = readRange(pack, from, (int) (to - from));
        List<byte[]> out = new java.util.ArrayList<>(entries.size());
        for (PackEntry e : entries) {
            out.add(openEntry(pack, e, run, (int) (e.offset() - from)));
        }
        return out;
    }

    /**
     * {@code length} bytes of the pack from {@code offset}, as they are stored: for reading several
     * entries that lie close together with one request, then opening each with {@link #openEntry}.
     */
    public byte[] readRange(PackId pack, long offset, int length) throws IOException {
        return read(blobName(pack), pack, offset, length);
    }

    /**
     * {@code length} bytes of the pack from {@code offset}, as they are stored, as a stream read as it
     * arrives: for reading many entries with one request while holding one at a time.
     */
    public java.io.InputStream openRange(PackId pack, long offset, long length) throws IOException {
        return backend.openRange(blobName(pack), offset, length);
    }

    /** The plaintext of {@code entry}, whose envelope starts at {@code at} in {@code range}, authenticated and decompressed. */
    public byte[] openEntry(PackId pack, PackEntry entry, byte[] range, int at) throws CorruptDataException {
        if (at < 0 || (long) at + entry.storedLength() > range.length) {
            throw PackFormat.corrupt(pack, "chunk " + entry.id().shortString() + " lies outside the bytes read for it");
        }
        return entryCipher.open(pack, entry, range, at);
    }

    /**
     * Reads the whole pack and checks every byte of it: header, table, trailer and every entry; with
     * a hasher, also that every chunk's content matches its id. Returns the table.
     */
    public PackTable verify(PackId id, ChunkIdHasher hasher) throws IOException {
        BlobName name = blobName(id);
        long size = backend.size(name);
        if (size > MAX_VERIFIED_SIZE) {
            throw PackFormat.corrupt(id, size + " bytes long, more than a pack can be");
        }
        byte[] all = backend.get(name);
        PackTable table = tableOf(id, all);
        for (PackEntry e : table.entries()) {
            checkEntry(id, all, e, hasher);
        }
        return table;
    }

    /** The table of a pack given whole: header, trailer and table checked, entries not read. */
    public PackTable tableOf(PackId id, byte[] all) throws CorruptDataException {
        if (all.length < PackFormat.HEADER_LENGTH + PackFormat.TRAILER_LENGTH) {
            throw PackFormat.corrupt(id, "only " + all.length + " bytes long");
        }
        PackFormat.Header header = PackFormat.readHeader(
                Arrays.copyOf(all, Math.min(all.length, PackFormat.VOLUME_HEADER_LENGTH)), id);
        int tableLength = PackFormat.parseTrailer(
                Arrays.copyOfRange(all, all.length - PackFormat.TRAILER_LENGTH, all.length), id, all.length);
        int tableOffset = all.length - PackFormat.TRAILER_LENGTH - tableLength;
        List<PackEntry> entries = openTable(id, header,
                Arrays.copyOfRange(all, tableOffset, tableOffset + tableLength), tableOffset);
        return new PackTable(id, header.type(), all.length, entries, header.space());
    }

    /**
     * Checks one entry of a pack given whole: it authenticates, decodes and, with a hasher, holds the
     * content of its id. Throws naming the pack and chunk.
     */
    public void checkEntry(PackId id, byte[] all, PackEntry e, ChunkIdHasher hasher) throws CorruptDataException {
        if (e.end() > all.length) {
            throw PackFormat.corrupt(id, "chunk " + e.id().shortString() + " at offset " + e.offset() + " lies past its end");
        }
        byte[] plain = entryCipher.open(id, e, all, (int) e.offset());
        if (hasher != null) {
            ChunkId actual = hasher.hash(plain);
            if (!actual.equals(e.id())) {
                throw PackFormat.corrupt(id, "chunk " + e.id().shortString() + " holds content of chunk " + actual.shortString());
            }
        }
    }

    private List<PackEntry> openTable(PackId id, PackFormat.Header header, byte[] table, long tableOffset) throws CorruptDataException {
        byte[] plain;
        try {
            plain = tableCipher.open(table, header.bytes());
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("pack " + id + ": table fails authentication (damaged pack or wrong key)", e);
        }
        return PackFormat.decodeTable(plain, id, header.length(), tableOffset);
    }

    private byte[] read(BlobName name, PackId id, long offset, int length) throws IOException {
        try {
            return backend.read(name, offset, length);
        } catch (EOFException e) {
            throw new CorruptDataException("pack " + id + " is shorter than its table says (" + e.getMessage() + ")", e);
        }
    }
}
