package dev.strata.sync.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of a shared volume (docs/sync.md, "Volume messages"): asking for and sending file
 * records, and a joining device asking for a volume's keys. Records travel as their encoded bytes
 * ({@code SyncRecord.encode}), decoded by the volume that takes them. Immutable records.
 */
public final class VolumeMessages {
    /** The most records one message carries. */
    public static final int MAX_RECORDS = 4096;
    /** The most bytes of records one message carries (the frame bound leaves room). */
    public static final int MAX_RECORD_BYTES = 32 << 20;
    static final int MAX_NAME_BYTES = 255;

    private VolumeMessages() {
    }

    /** "Send me the records of volume {@code volume} you indexed after your sequence number {@code since}, and then as they come." */
    public record RecordsWanted(SpaceId volume, long since) {
        public Frame encode() {
            return new Frame(MessageType.RECORDS_WANTED, ByteBuffer.allocate(SpaceId.LENGTH + 8).put(volume.bytes())
                    .putLong(since).array());
        }

        public static RecordsWanted decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            SpaceId volume = SpaceId.of(p.bytes(SpaceId.LENGTH, "volume"));
            long since = p.u64("since");
            p.end();
            if (since < 0) {
                throw new FrameException("a " + f.type() + " message from sequence " + since);
            }
            return new RecordsWanted(volume, since);
        }
    }

    /**
     * Records of {@code volume}, in the sender's sequence order (possibly none); {@code through}: the
     * sender's sequence they reach; {@code latest}: the sender's newest sequence as it sent them.
     */
    public record Records(SpaceId volume, long through, long latest, List<byte[]> records) {
        public Records {
            records = List.copyOf(records);
            if (records.size() > MAX_RECORDS) {
                throw new IllegalArgumentException(records.size() + " records in one message; at most " + MAX_RECORDS);
            }
        }

        public Frame encode() {
            int size = SpaceId.LENGTH + 8 + 8 + 4;
            for (byte[] r : records) {
                size += 4 + r.length;
            }
            ByteBuffer b = ByteBuffer.allocate(size).put(volume.bytes()).putLong(through).putLong(latest)
                    .putInt(records.size());
            for (byte[] r : records) {
                b.putInt(r.length).put(r);
            }
            return new Frame(MessageType.RECORDS, b.array());
        }

        public static Records decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            SpaceId volume = SpaceId.of(p.bytes(SpaceId.LENGTH, "volume"));
            long through = p.u64("through");
            long latest = p.u64("latest");
            int n = p.u32("record count", MAX_RECORDS);
            List<byte[]> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(p.bytes(p.u32("record " + i + " length", MAX_RECORD_BYTES), "record " + i));
            }
            p.end();
            return new Records(volume, through, latest, out);
        }
    }

    /** "Give me the keys of your volume called {@code name}, which you shared with me." */
    public record KeysRequest(int request, String name) {
        public Frame encode() {
            byte[] text = Payload.text(name, MAX_NAME_BYTES);
            return new Frame(MessageType.KEYS_REQUEST, ByteBuffer.allocate(4 + text.length).putInt(request).put(text).array());
        }

        public static KeysRequest decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            String name = p.text("name");
            p.end();
            return new KeysRequest(request, name);
        }
    }

    /** The answer: the volume's id, name and the plaintext of its keys (docs/format.md §2.4). */
    public record Keys(int request, SpaceId volume, String name, byte[] keys) {
        public Keys {
            keys = keys.clone();
        }

        @Override
        public byte[] keys() {
            return keys.clone();
        }

        public Frame encode() {
            byte[] text = Payload.text(name, MAX_NAME_BYTES);
            return new Frame(MessageType.KEYS, ByteBuffer.allocate(4 + SpaceId.LENGTH + text.length + 2 + keys.length)
                    .putInt(request).put(volume.bytes()).put(text).putShort((short) keys.length).put(keys).array());
        }

        public static Keys decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            SpaceId volume = SpaceId.of(p.bytes(SpaceId.LENGTH, "volume"));
            String name = p.text("name");
            byte[] keys = p.bytes(p.u16("keys length"), "keys");
            p.end();
            return new Keys(request, volume, name, keys);
        }

        @Override
        public String toString() {
            return "Keys[" + name + " " + volume + "]";
        }
    }
}
