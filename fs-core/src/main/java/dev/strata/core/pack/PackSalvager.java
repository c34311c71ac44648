package dev.strata.core.pack;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.compress.ZstdFrames;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.core.crypto.EnvelopeProbe;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;

import javax.crypto.AEADBadTagException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recovers every readable entry of a pack whose header, trailer or table is damaged, or which was cut
 * short (docs/format.md §5.3). The header is rebuilt from the pack id; the table is looked for where
 * the trailer says and then by its length; failing both, the entries are found by walking the pack
 * from its header, one envelope after the other: a compressed entry ends where its zstd frame ends,
 * a raw one where the data chunker cut it or, for the last chunk of a file, at the one length whose
 * chunk id and tag authenticate. Entries known from elsewhere (the index) are tried first. Whatever
 * authenticates is genuine; nothing is guessed. Thread-safe.
 */
public final class PackSalvager {
    /** The data chunker's cut rule: where a content-defined chunk starting at {@code offset} ends. */
    public interface CutPoints {
        int cut(byte[] data, int offset, int length);
    }

    /** A decompressed entry larger than this is taken for garbage rather than allocated. */
    private static final long MAX_CONTENT = 128L << 20;
    private static final int TABLE_OVERHEAD = Aes256GcmCipher.OVERHEAD + 4;
    private static final byte[][] TREE_MAGICS = {{'S', 'T', 'R', 'T'}, {'S', 'T', 'R', 'L'}};

    private final Aes256GcmCipher cipher;
    private final EntryCipher entryCipher;
    private final ChunkIdHasher hasher;
    private final CutPoints cuts;
    private final int maxDataChunk;

    /** The chunk-id keys and cut rules of the volumes with keys of their own, by key space. */
    private final Map<KeySpace, Keys> volumes = new java.util.concurrent.ConcurrentHashMap<>();

    /** What recomputes ids and finds raw entries' ends in one key space. */
    private record Keys(ChunkIdHasher hasher, CutPoints cuts, int maxDataChunk) {
    }

    public PackSalvager(EntryCipher entryCipher, ChunkIdHasher hasher, CutPoints cuts, int maxDataChunk) {
        this.entryCipher = entryCipher;
        this.cipher = entryCipher.cipher();
        this.hasher = hasher;
        this.cuts = cuts;
        this.maxDataChunk = maxDataChunk;
    }

    /**
     * From now on, packs of {@code space} (a volume's own key, version 2 packs) are salvaged under its
     * chunk-id key and cut rule; a pack whose header is damaged is also tried as one of them.
     */
    public void addVolume(KeySpace space, ChunkIdHasher volumeHasher, CutPoints volumeCuts, int volumeMaxDataChunk) {
        if (space.isRepository()) {
            throw new IllegalArgumentException("the repository's key space is not a volume's");
        }
        volumes.put(space, new Keys(volumeHasher, volumeCuts, volumeMaxDataChunk));
    }

    /**
     * Salvages the pack {@code id}, given whole in {@code pack}. {@code known} are entries the caller
     * believes it holds (from an index); they are tried first and those that fail are reported damaged.
     */
    public PackSalvage salvage(PackId id, byte[] pack, List<PackEntry> known) {
        PackFormat.Header header = null;
        try {
            header = PackFormat.readHeader(Arrays.copyOf(pack, Math.min(pack.length, PackFormat.VOLUME_HEADER_LENGTH)), id);
        } catch (CorruptDataException e) {
            // damaged: every key space is a candidate below
        }
        if (header != null) {
            if (header.space().isRepository()) {
                return new Run(id, pack, known, KeySpace.REPOSITORY, own()).salvage();
            }
            Keys keys = volumes.get(header.space());
            if (keys == null) {
                return new PackSalvage(id, header.type(), pack.length, List.of(), known, 0,
                        "its chunk ids are under " + header.space() + ", which this repository does not hold");
            }
            return new Run(id, pack, known, header.space(), keys).salvage();
        }
        PackSalvage best = new Run(id, pack, known, KeySpace.REPOSITORY, own()).salvage();
        for (Map.Entry<KeySpace, Keys> v : volumes.entrySet()) {
            PackSalvage s = new Run(id, pack, known, v.getKey(), v.getValue()).salvage();
            if (s.entries().size() > best.entries().size()) {
                best = s;
            }
        }
        return best;
    }

    private Keys own() {
        return new Keys(hasher, cuts, maxDataChunk);
    }

    /** One salvage: the pack's bytes and what has been learnt about them. Confined to one thread. */
    private final class Run {
        private final PackId id;
        private final byte[] pack;
        private final List<PackEntry> known;
        private final Map<Long, PackEntry> knownAt = new HashMap<>();
        private final EnvelopeProbe probe = cipher.probe();
        private final PackType headerType;
        private final List<byte[]> headers = new ArrayList<>();
        private final List<String> findings = new ArrayList<>();
        private PackType tableType;
        private int treeLooking;
        private int dataLooking;
        /** Where entries start: the end of the header of the key space this run tries. */
        private final int start;
        private final ChunkIdHasher hasher;
        private final CutPoints cuts;
        private final int maxDataChunk;

        Run(PackId id, byte[] pack, List<PackEntry> known, KeySpace space, Keys keys) {
            this.id = id;
            this.pack = pack;
            this.known = known;
            this.start = PackFormat.headerLength(space);
            this.hasher = keys.hasher();
            this.cuts = keys.cuts();
            this.maxDataChunk = keys.maxDataChunk();
            known.forEach(e -> knownAt.put(e.offset(), e));
            PackType type = null;
            if (pack.length >= start) {
                try {
                    PackFormat.Header h = PackFormat.readHeader(Arrays.copyOf(pack, start), id);
                    type = h.space().equals(space) ? h.type() : null;
                } catch (CorruptDataException e) {
                    // below
                }
                if (type == null) {
                    findings.add("header damaged");
                }
            } else {
                findings.add("only " + pack.length + " bytes long");
            }
            headerType = type;
            if (type != null) {
                headers.add(Arrays.copyOf(pack, start));
            } else if (space.isRepository()) {
                headers.add(PackFormat.header(id, PackType.DATA));
                headers.add(PackFormat.header(id, PackType.TREE));
            } else {
                headers.add(PackFormat.header(id, PackType.DATA, space));
            }
        }

        PackSalvage salvage() {
            if (pack.length < start + Aes256GcmCipher.OVERHEAD) {
                return result(List.of(), Math.max(0, pack.length - start));
            }
            int trailerTable = trailerTableOffset();
            List<PackEntry> table = trailerTable >= 0 ? tableAt(trailerTable, pack.length - PackFormat.TRAILER_LENGTH - trailerTable) : null;
            if (table == null) {
                table = searchTableByLength();
                if (table != null) {
                    findings.add("trailer damaged, table found by its length");
                }
            } else {
                findings.add(headerType == null ? "table intact" : "trailer damaged, table intact");
            }
            if (table != null) {
                return verified(table);
            }
            return scan(trailerTable);
        }

        /** Where the trailer puts the table, or -1 when the trailer is implausible (its magic is not required). */
        private int trailerTableOffset() {
            if (pack.length < start + PackFormat.TRAILER_LENGTH + TABLE_OVERHEAD) {
                return -1;
            }
            ByteBuffer t = ByteBuffer.wrap(pack, pack.length - PackFormat.TRAILER_LENGTH, 4).order(ByteOrder.LITTLE_ENDIAN);
            long length = t.getInt() & 0xFFFFFFFFL;
            long offset = pack.length - PackFormat.TRAILER_LENGTH - length;
            if (length < TABLE_OVERHEAD || offset < start) {
                return -1;
            }
            return (int) offset;
        }

        /** The table envelope at {@code offset}, if it authenticates under one of the headers and tiles the pack up to it. */
        private List<PackEntry> tableAt(int offset, int length) {
            if (offset < start || length < TABLE_OVERHEAD || (long) offset + length > pack.length) {
                return null;
            }
            for (byte[] header : headers) {
                try {
                    byte[] plain = cipher.open(pack, offset, length, header);
                    List<PackEntry> entries = PackFormat.decodeTable(plain, id, start, offset);
                    tableType = PackType.fromCode(header[9] & 0xFF);
                    return entries;
                } catch (AEADBadTagException | CorruptDataException e) {
                    // not the table under this header
                }
            }
            return null;
        }

        /** The table is 32 + 52·n bytes for n entries and ends 16 bytes before the pack does. */
        private List<PackEntry> searchTableByLength() {
            int end = pack.length - PackFormat.TRAILER_LENGTH;
            for (long n = 0; ; n++) {
                long length = TABLE_OVERHEAD + n * PackFormat.TABLE_ENTRY_LENGTH;
                long offset = end - length;
                if (offset < start) {
                    return null;
                }
                if (tableCount(pack, (int) offset) == n) {
                    List<PackEntry> t = tableAt((int) offset, (int) length);
                    if (t != null) {
                        return t;
                    }
                }
            }
        }

        /** The entry count a table envelope at {@code offset} would start with (decrypted, not yet authenticated). */
        private long tableCount(byte[] data, int offset) {
            byte[] first = probe.firstBlock(data, offset);
            return ByteBuffer.wrap(first, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        }

        /** A table was found: every entry it lists is checked, the damaged ones are reported. */
        private PackSalvage verified(List<PackEntry> table) {
            List<PackEntry> good = new ArrayList<>();
            List<PackEntry> bad = new ArrayList<>();
            long lost = 0;
            for (PackEntry e : table) {
                try {
                    entryCipher.open(id, e, pack, (int) e.offset());
                    good.add(e);
                } catch (CorruptDataException damaged) {
                    bad.add(e);
                    lost += e.storedLength();
                }
            }
            return result(good, bad, lost);
        }

        /** No table: walk the entries from the header on. */
        private PackSalvage scan(int trailerTable) {
            List<PackEntry> found = new ArrayList<>();
            int p = start;
            int end = pack.length;
            while (end - p >= Aes256GcmCipher.OVERHEAD) {
                PackEntry e = entryAt(p);
                if (e != null) {
                    found.add(e);
                    p = (int) e.end();
                    continue;
                }
                List<PackEntry> table = tableHere(p);
                if (table != null) {
                    // The table itself, intact after all (the trailer was wrong): it knows every entry.
                    findings.add("trailer damaged, table found after the last entry");
                    return verified(table);
                }
                p = nextStart(p + 1, end);
            }
            // What a plausible trailer says is the table is no entry data: it is not counted as lost.
            long dataEnd = trailerTable >= 0 && lastEntryEnd(found) <= trailerTable ? trailerTable : pack.length;
            long lostBytes = unreadableBefore(found, dataEnd);
            findings.add((trailerTable >= 0 ? "table fails authentication" : "cut short, or its trailer is damaged")
                    + ", entries found by scanning");
            Set<Long> foundAt = new HashSet<>();
            found.forEach(e -> foundAt.add(e.offset()));
            List<PackEntry> damaged = new ArrayList<>();
            for (PackEntry k : known) {
                if (!foundAt.contains(k.offset())) {
                    damaged.add(k);
                }
            }
            return result(found, damaged, lostBytes);
        }

        private long lastEntryEnd(List<PackEntry> found) {
            return found.isEmpty() ? start : found.get(found.size() - 1).end();
        }

        /** Bytes in [header, until) that no found entry covers. */
        private long unreadableBefore(List<PackEntry> found, long until) {
            long covered = 0;
            for (PackEntry e : found) {
                covered += Math.min(e.end(), until) - Math.min(e.offset(), until);
            }
            return until - start - covered;
        }

        /** The entry starting at {@code p}, if one does: as known, compressed, or raw. */
        private PackEntry entryAt(int p) {
            PackEntry k = knownAt.get((long) p);
            if (k != null && k.end() <= pack.length) {
                try {
                    note(entryCipher.open(id, k, pack, p));
                    return k;
                } catch (CorruptDataException e) {
                    // damaged, or the index was wrong: look at the bytes themselves
                }
            }
            probe.start(pack, p, pack.length - p);
            if (probe.maxTextLength() >= 4 && ZstdFrames.startsWithMagic(probe.plaintext(4), 0)) {
                PackEntry e = compressedAt(p);
                if (e != null) {
                    return e;
                }
            }
            return rawAt(p);
        }

        private PackEntry compressedAt(int p) {
            ZstdFrames.Layout frame = ZstdFrames.layout(probe::plaintext, probe.maxTextLength());
            if (frame == null || frame.contentSize() < 0 || frame.contentSize() > MAX_CONTENT) {
                return null;
            }
            byte[] payload = Arrays.copyOf(probe.plaintext(frame.length()), frame.length());
            byte[] raw;
            try {
                raw = entryCipher.compressor().decompress(CompressionCode.ZSTD, payload, 0, payload.length,
                        (int) frame.contentSize());
            } catch (CorruptDataException e) {
                return null;
            }
            ChunkId chunk = hasher.hash(raw);
            if (!probe.authenticates(frame.length(), PackFormat.entryAad(chunk, CompressionCode.ZSTD, raw.length))) {
                return null;
            }
            note(raw);
            return new PackEntry(chunk, p, frame.length() + Aes256GcmCipher.OVERHEAD, raw.length, CompressionCode.ZSTD);
        }

        /**
         * A raw entry at {@code p}: its length is where the data chunker cuts, or shorter (the end of a
         * file, a small file, a tree); each candidate costs a prefix id and a tag check.
         */
        private PackEntry rawAt(int p) {
            int max = probe.maxTextLength();
            int limit = max;
            PackType type = headerType;
            if (type != PackType.TREE && cuts != null) {
                int window = Math.min(max, maxDataChunk);
                int cut = window == 0 ? 0 : cuts.cut(probe.plaintext(window), 0, window);
                if (cut > 0 && authenticatesRaw(p, cut, probe.plaintext(cut))) {
                    return rawEntry(p, cut);
                }
                if (type == PackType.DATA) {
                    limit = Math.min(limit, cut);
                }
            }
            ChunkIdHasher.Prefix prefix = hasher.prefix();
            for (int length = 0; length <= limit; length++) {
                byte[] plain = probe.plaintext(length);
                prefix.update(plain, (int) prefix.length(), length - (int) prefix.length());
                ChunkId chunk = prefix.id();
                if (probe.authenticates(length, PackFormat.entryAad(chunk, CompressionCode.NONE, length))) {
                    return rawEntry(p, length);
                }
            }
            return null;
        }

        private boolean authenticatesRaw(int p, int length, byte[] plain) {
            ChunkId chunk = hasher.hash(plain, 0, length);
            return probe.authenticates(length, PackFormat.entryAad(chunk, CompressionCode.NONE, length));
        }

        private PackEntry rawEntry(int p, int length) {
            byte[] plain = probe.plaintext(length);
            note(Arrays.copyOf(plain, Math.min(length, 4)));
            ChunkId chunk = hasher.hash(plain, 0, length);
            return new PackEntry(chunk, p, length + Aes256GcmCipher.OVERHEAD, length, CompressionCode.NONE);
        }

        /** The table, if its envelope starts at {@code p} (found only by walking to it). */
        private List<PackEntry> tableHere(int p) {
            long n = tableCount(pack, p);
            long length = TABLE_OVERHEAD + n * PackFormat.TABLE_ENTRY_LENGTH;
            if (p + length > pack.length) {
                return null;
            }
            return tableAt(p, (int) length);
        }

        /**
         * After bytes that hold no entry: the next position where a known entry, a compressed entry or
         * the table authenticates (one AES block per position tells which may). Raw entries after
         * damage are found only when the index knew them.
         */
        private int nextStart(int from, int end) {
            for (int q = from; end - q >= Aes256GcmCipher.OVERHEAD; q++) {
                PackEntry k = knownAt.get((long) q);
                if (k != null && k.end() <= pack.length) {
                    return q;
                }
                byte[] first = probe.firstBlock(pack, q);
                if (ZstdFrames.startsWithMagic(first, 0)) {
                    probe.start(pack, q, pack.length - q);
                    if (compressedAt(q) != null) {
                        return q;
                    }
                }
                long n = ByteBuffer.wrap(first, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                if (q + TABLE_OVERHEAD + n * PackFormat.TABLE_ENTRY_LENGTH <= pack.length && tableHere(q) != null) {
                    return q;
                }
            }
            return end;
        }

        /** Counts what entries hold, to tell a tree pack from a data pack when the header is gone. */
        private void note(byte[] plain) {
            for (byte[] magic : TREE_MAGICS) {
                if (plain.length >= 4 && Arrays.equals(plain, 0, 4, magic, 0, 4)) {
                    treeLooking++;
                    return;
                }
            }
            dataLooking++;
        }

        private PackSalvage result(List<PackEntry> entries, long lostBytes) {
            return result(entries, List.of(), lostBytes);
        }

        private PackSalvage result(List<PackEntry> entries, List<PackEntry> damaged, long lostBytes) {
            PackType type = headerType != null ? headerType
                    : tableType != null ? tableType
                    : treeLooking > dataLooking ? PackType.TREE : PackType.DATA;
            if (findings.isEmpty()) {
                findings.add("damaged entries");
            }
            return new PackSalvage(id, type, pack.length, entries, damaged, Math.max(0, lostBytes), String.join(", ", findings));
        }
    }
}
