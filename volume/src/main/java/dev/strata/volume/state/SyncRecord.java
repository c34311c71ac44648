package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.name.NameBytes;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a device knows of one path of a shared volume (docs/sync.md, "File records"): the file,
 * folder or symlink there with its metadata and content, or a tombstone, with the version vector of
 * the changes that made it and the sequence number under which this device indexed it. Immutable.
 *
 * @param path    the path from the volume's root, bytes, {@code a/b.txt}
 * @param deleted a tombstone: nothing is there (the other fields but the vector are those of what was)
 * @param type    file, folder or symlink (special files are not synced)
 * @param mtime   the last modification; for a file, that of the content it carries
 * @param content files: the chunks (under the volume's key) and holes of the content; else empty. In the
 *                index, a content of many chunks is in content lists of the repository; on the wire
 *                always the chunks themselves
 * @param target  symlinks: the target bytes; else empty
 * @param group   a hard-link group: the names of one file carry the same random group, 0 for none
 * @param author  the short id of the device whose change made the record (it breaks ties between conflicting changes)
 * @param seq     the sequence number under which the device holding it indexed it (not part of what it says)
 */
public record SyncRecord(byte[] path, boolean deleted, NodeType type, int mode, long uid, long gid, Timestamp mtime,
                         long size, FileContent content, byte[] target, List<Xattr> xattrs, long group,
                         long author, VersionVector vector, long seq, List<ConflictCopy> copies) {
    private static final int VERSION = 1;

    /**
     * The content a conflict did not keep at this path, carried by the record that decided it so that
     * every device that takes the record lists it in the path's history (docs/sync.md, "Conflicts").
     */
    public record ConflictCopy(FileContent content, long size, Timestamp mtime, int mode, long author) {
        public ConflictCopy {
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(mtime, "mtime");
        }

        /** The same copy with its content told otherwise (inline or in content lists). */
        public ConflictCopy withContent(FileContent c) {
            return new ConflictCopy(c, size, mtime, mode, author);
        }
    }

    /** A record that carries no conflict copy. */
    public SyncRecord(byte[] path, boolean deleted, NodeType type, int mode, long uid, long gid, Timestamp mtime,
                      long size, FileContent content, byte[] target, List<Xattr> xattrs, long group, long author,
                      VersionVector vector, long seq) {
        this(path, deleted, type, mode, uid, gid, mtime, size, content, target, xattrs, group, author, vector, seq,
                List.of());
    }

    public SyncRecord {
        path = path.clone();
        target = target.clone();
        Objects.requireNonNull(content, "content");
        xattrs = List.copyOf(xattrs);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(vector, "vector");
        copies = List.copyOf(copies);
    }

    /** The record describing inode {@code n} at {@code path} (a file's content as sealed). */
    static SyncRecord of(byte[] path, Inode n, FileContent content, long size, Timestamp mtime, long group,
                         VersionVector vector, long seq) {
        byte[] target = n.target() == null ? new byte[0] : n.target();
        return new SyncRecord(path, false, n.type(), n.mode(), n.uid(), n.gid(), mtime, size,
                content == null ? FileContent.EMPTY : content, target,
                n.xattrs(), group, 0, vector, seq);
    }

    /** A tombstone for what this record describes, with the vector {@code newer}. */
    public SyncRecord tombstone(VersionVector newer, long newSeq) {
        return new SyncRecord(path, true, type, mode, uid, gid, mtime, size, FileContent.EMPTY, new byte[0], List.of(), 0,
                author, newer, newSeq);
    }

    /** This record with another vector and sequence number. */
    public SyncRecord withVersion(VersionVector newer, long newSeq) {
        return new SyncRecord(path, deleted, type, mode, uid, gid, mtime, size, content, target, xattrs, group, author,
                newer, newSeq, copies);
    }

    /** This record as changed by device {@code device}, with the vector {@code newer} and sequence number. */
    public SyncRecord madeBy(long device, VersionVector newer, long newSeq) {
        return new SyncRecord(path, deleted, type, mode, uid, gid, mtime, size, content, target, xattrs, group, device,
                newer, newSeq, copies);
    }

    /** This record with another content (the same bytes, told otherwise: inline or in content lists). */
    public SyncRecord withContent(FileContent c) {
        return new SyncRecord(path, deleted, type, mode, uid, gid, mtime, size, c, target, xattrs, group, author,
                vector, seq, copies);
    }

    /** This record carrying {@code more} conflict copies besides its own. */
    public SyncRecord withCopies(List<ConflictCopy> more) {
        List<ConflictCopy> all = new ArrayList<>(copies);
        all.addAll(more);
        return new SyncRecord(path, deleted, type, mode, uid, gid, mtime, size, content, target, xattrs, group, author,
                vector, seq, all);
    }

    /** This record with its conflict copies replaced. */
    public SyncRecord withCopiesOnly(List<ConflictCopy> replaced) {
        return new SyncRecord(path, deleted, type, mode, uid, gid, mtime, size, content, target, xattrs, group, author,
                vector, seq, replaced);
    }

    /** This record at another path. */
    public SyncRecord at(byte[] newPath) {
        return new SyncRecord(newPath, deleted, type, mode, uid, gid, mtime, size, content, target, xattrs, group,
                author, vector, seq, copies);
    }

    /** Whether both say the same of the path (the vectors and sequence numbers aside). */
    public boolean sameAs(SyncRecord o) {
        if (deleted || o.deleted) {
            return deleted == o.deleted && Arrays.equals(path, o.path);
        }
        return Arrays.equals(path, o.path) && type == o.type && mode == o.mode && uid == o.uid && gid == o.gid
                && mtime.equals(o.mtime) && size == o.size && content.equals(o.content)
                && Arrays.equals(target, o.target) && xattrs.equals(o.xattrs) && group == o.group;
    }

    @Override
    public byte[] path() {
        return path.clone();
    }

    @Override
    public byte[] target() {
        return target.clone();
    }

    /** The path as text, for messages. */
    public String printablePath() {
        return VolumeState.printable(path);
    }

    /** The record's bytes: those of the sync index and of the wire alike (docs/sync.md). */
    public byte[] encode() {
        RecordOutput out = new RecordOutput().u8(VERSION).bytes(path).bool(deleted).u8(type.code()).u32(mode)
                .u64(uid).u64(gid).time(mtime).u64(size).content(content).bytes(target)
                .u32(xattrs.size());
        for (Xattr x : xattrs) {
            out.bytes(NameBytes.encode(x.name())).bytes(x.value());
        }
        out.u64(group).u64(author).u32(vector.size());
        for (int i = 0; i < vector.size(); i++) {
            out.u64(vector.device(i)).u64(vector.counter(i));
        }
        out.u64(seq).u32(copies.size());
        for (ConflictCopy c : copies) {
            out.content(c.content()).u64(c.size()).time(c.mtime()).u32(c.mode()).u64(c.author());
        }
        return out.toBytes();
    }

    /** The bytes of what the record says, without its vector, author and sequence number (a total order for ties). */
    public byte[] encodeContent() {
        return new SyncRecord(path, deleted, type, mode, uid, gid, mtime, size, content, target, xattrs, group, 0,
                VersionVector.EMPTY, 0).encode();
    }

    /** Reads a record; {@code what} names where it came from in the error when it is out of shape. */
    public static SyncRecord decode(byte[] data, String what) throws CorruptDataException {
        RecordInput in = new RecordInput(data, what);
        if (in.u8() != VERSION) {
            throw in.corrupt("unknown sync record version");
        }
        try {
            byte[] path = in.bytes();
            boolean deleted = in.bool();
            NodeType type = NodeType.fromCode(in.u8());
            int mode = in.u32();
            long uid = in.u64();
            long gid = in.u64();
            Timestamp mtime = in.time();
            long size = in.u64();
            FileContent content = in.content();
            byte[] target = in.bytes();
            int nx = in.u32();
            if (nx < 0 || nx > data.length) {
                throw in.corrupt("xattr count " + nx);
            }
            List<Xattr> xattrs = new ArrayList<>(nx);
            for (int i = 0; i < nx; i++) {
                String name = NameBytes.decode(in.bytes());
                xattrs.add(new Xattr(name, in.bytes()));
            }
            long group = in.u64();
            long author = in.u64();
            int nv = in.u32();
            if (nv < 0 || nv > data.length / 16) {
                throw in.corrupt("vector size " + nv);
            }
            long[] devices = new long[nv];
            long[] counters = new long[nv];
            for (int i = 0; i < nv; i++) {
                devices[i] = in.u64();
                counters[i] = in.u64();
            }
            long seq = in.u64();
            int nc = in.u32();
            if (nc < 0 || nc > data.length) {
                throw in.corrupt("conflict copy count " + nc);
            }
            List<ConflictCopy> copies = new ArrayList<>(nc);
            for (int i = 0; i < nc; i++) {
                copies.add(new ConflictCopy(in.content(), in.u64(), in.time(), in.u32(), in.u64()));
            }
            in.end();
            return new SyncRecord(path, deleted, type, mode, uid, gid, mtime, size, content, target, xattrs,
                    group, author, VersionVector.of(devices, counters), seq, copies);
        } catch (IllegalArgumentException e) {
            throw in.corrupt(e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncRecord r && sameAs(r) && vector.equals(r.vector) && seq == r.seq && copies.equals(r.copies)
                && deleted == r.deleted;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(path) * 31 + vector.hashCode();
    }

    @Override
    public String toString() {
        return "SyncRecord[" + printablePath() + (deleted ? " deleted" : " " + type) + " " + vector + " seq " + seq + "]";
    }
}
