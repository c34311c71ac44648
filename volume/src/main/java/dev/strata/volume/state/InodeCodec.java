package dev.strata.volume.state;

import dev.strata.core.name.NameBytes;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;

import java.util.ArrayList;
import java.util.List;

/** Encodes inode records of the volume's {@code inodes} table (docs/volume.md). Stateless. */
final class InodeCodec {
    private static final int VERSION = 1;

    private InodeCodec() {
    }

    static byte[] encode(Inode n) {
        RecordOutput out = new RecordOutput().u8(VERSION).u64(n.ino()).u8(n.type().code()).u32(n.mode())
                .u64(n.uid()).u64(n.gid()).time(n.atime()).time(n.mtime()).time(n.ctime())
                .u64(n.nlink()).u64(n.rdev()).u64(n.size()).u32(n.xattrs().size());
        for (Xattr x : n.xattrs()) {
            out.bytes(NameBytes.encode(x.name())).bytes(x.value());
        }
        out.bool(n.content() != null);
        if (n.content() != null) {
            out.content(n.content());
        }
        out.bool(n.target() != null);
        if (n.target() != null) {
            out.bytes(n.target());
        }
        out.u64(n.parent()).bytes(n.name());
        Staging s = n.staging();
        out.bool(s != null);
        if (s != null) {
            out.u64(s.overlay()).content(s.base()).u64(s.baseValid()).u32(s.extents().size());
            for (Extent e : s.extents()) {
                out.u64(e.start()).u64(e.end());
            }
        }
        return out.toBytes();
    }

    static Inode decode(byte[] data, long expectedIno) throws CorruptDataException {
        RecordInput in = new RecordInput(data, "inode " + expectedIno);
        if (in.u8() != VERSION) {
            throw in.corrupt("unknown record version");
        }
        try {
            long ino = in.u64();
            if (ino != expectedIno) {
                throw in.corrupt("record of inode " + ino);
            }
            NodeType type = NodeType.fromCode(in.u8());
            int mode = in.u32();
            long uid = in.u64();
            long gid = in.u64();
            Timestamp atime = in.time();
            Timestamp mtime = in.time();
            Timestamp ctime = in.time();
            long nlink = in.u64();
            long rdev = in.u64();
            long size = in.u64();
            int nx = in.u32();
            if (nx < 0 || nx > data.length) {
                throw in.corrupt("xattr count " + nx);
            }
            List<Xattr> xattrs = new ArrayList<>(nx);
            for (int i = 0; i < nx; i++) {
                String name = NameBytes.decode(in.bytes());
                xattrs.add(new Xattr(name, in.bytes()));
            }
            FileContent content = in.bool() ? in.content() : null;
            byte[] target = in.bool() ? in.bytes() : null;
            long parent = in.u64();
            byte[] name = in.bytes();
            Staging staging = null;
            if (in.bool()) {
                long overlay = in.u64();
                FileContent base = in.content();
                long baseValid = in.u64();
                int ne = in.u32();
                if (ne < 0 || ne > data.length) {
                    throw in.corrupt("extent count " + ne);
                }
                List<Extent> extents = new ArrayList<>(ne);
                for (int i = 0; i < ne; i++) {
                    long start = in.u64();
                    extents.add(new Extent(start, in.u64()));
                }
                staging = new Staging(overlay, base, baseValid, extents);
            }
            in.end();
            return new Inode(ino, type, mode, uid, gid, atime, mtime, ctime, nlink, rdev, size, xattrs, content, target,
                    parent, name, staging);
        } catch (IllegalArgumentException e) {
            throw in.corrupt(e.getMessage());
        }
    }
}
