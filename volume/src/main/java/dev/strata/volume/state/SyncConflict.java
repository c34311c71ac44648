package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.Timestamp;

/**
 * A conflict this device decided (docs/sync.md, "Conflicts"): the same path changed on two devices
 * while apart. The content kept is the path's; the other is a version in its history. Immutable.
 *
 * @param decided    when this device decided it
 * @param keptAuthor short id of the device whose change was kept
 * @param lostAuthor short id of the device whose change was not kept
 * @param lostDeleted the change not kept was a deletion (then nothing needed keeping)
 * @param lostSize   the size of the content not kept (files)
 * @param lostMtime  its modification time
 */
public record SyncConflict(byte[] path, Timestamp decided, long keptAuthor, long lostAuthor, boolean lostDeleted,
                           long lostSize, Timestamp lostMtime) {
    private static final int VERSION = 1;

    public SyncConflict {
        path = path.clone();
    }

    @Override
    public byte[] path() {
        return path.clone();
    }

    public String printablePath() {
        return VolumeState.printable(path);
    }

    byte[] encode() {
        return new RecordOutput().u8(VERSION).bytes(path).time(decided).u64(keptAuthor).u64(lostAuthor)
                .bool(lostDeleted).u64(lostSize).time(lostMtime).toBytes();
    }

    static SyncConflict decode(byte[] data) throws CorruptDataException {
        RecordInput in = new RecordInput(data, "sync conflict");
        if (in.u8() != VERSION) {
            throw in.corrupt("unknown record version");
        }
        SyncConflict c = new SyncConflict(in.bytes(), in.time(), in.u64(), in.u64(), in.bool(), in.u64(), in.time());
        in.end();
        return c;
    }
}
