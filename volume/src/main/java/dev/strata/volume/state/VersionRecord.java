package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Timestamp;

/**
 * One saved version of a file of a volume: what it held when it was closed (or synced after being
 * open long). Immutable.
 *
 * @param path    the file's path in the volume when the version was saved, as bytes ({@code a/b.txt})
 * @param saved   when the version was saved
 * @param seq     the volume-wide sequence number of the save (orders saves within one nanosecond)
 * @param ino     the inode it was saved from
 * @param mtime   the file's modification time then
 * @param mode    its permission bits then
 */
public record VersionRecord(byte[] path, Timestamp saved, long seq, long ino, FileContent content, Timestamp mtime,
                            int mode) {
    private static final int CODEC_VERSION = 1;

    public VersionRecord {
        path = path.clone();
    }

    @Override
    public byte[] path() {
        return path.clone();
    }

    public long size() {
        return content.size();
    }

    public long savedNanos() {
        return saved.seconds() * 1_000_000_000L + saved.nanos();
    }

    public byte[] key() {
        return Keys.version(path, savedNanos(), seq);
    }

    byte[] encode() {
        return new RecordOutput().u8(CODEC_VERSION).bytes(path).time(saved).u64(seq).u64(ino).content(content)
                .time(mtime).u32(mode).toBytes();
    }

    static VersionRecord decode(byte[] data) throws CorruptDataException {
        RecordInput in = new RecordInput(data, "version record");
        if (in.u8() != CODEC_VERSION) {
            throw in.corrupt("unknown record version");
        }
        VersionRecord v = new VersionRecord(in.bytes(), in.time(), in.u64(), in.u64(), in.content(), in.time(), in.u32());
        in.end();
        return v;
    }
}
