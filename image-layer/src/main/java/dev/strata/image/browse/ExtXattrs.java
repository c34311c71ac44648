package dev.strata.image.browse;

import dev.strata.core.name.NameBytes;
import dev.strata.core.tree.Xattr;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes ext extended attribute entries (in the inode's spare room or in an attribute block) and
 * turns the on-disk POSIX ACL form back into the form {@code getxattr} gives. Stateless.
 */
final class ExtXattrs {
    static final long MAGIC = 0xEA020000L;
    /** More entries than fit a 64 KiB block at their smallest size means damage. */
    private static final int MAX_ENTRIES = 4096;
    private static final String[] PREFIXES = {null, "user.", "system.posix_acl_access", "system.posix_acl_default",
            "trusted.", null, "security.", "system.", "system.richacl"};

    private ExtXattrs() {
    }

    /**
     * Entries from {@code entries} up to {@code end} of {@code b}; values are at offsets from
     * {@code valuesBase}. {@code where} names the place for error messages.
     */
    static List<Xattr> parse(byte[] b, int entries, int valuesBase, int end, String where) throws FilesystemDamageException {
        List<Xattr> out = new ArrayList<>();
        int pos = entries;
        for (int n = 0; pos + 4 <= end && Le.s32(b, pos) != 0; n++) {
            if (n >= MAX_ENTRIES || pos + 16 > end) {
                throw new FilesystemDamageException(where + ": attribute entries run past their area");
            }
            int nameLen = Le.u8(b, pos);
            int index = Le.u8(b, pos + 1);
            int valueOffset = Le.u16(b, pos + 2);
            long valueInode = Le.u32(b, pos + 4);
            long valueSize = Le.u32(b, pos + 8);
            if (nameLen == 0 || pos + 16 + nameLen > end) {
                throw new FilesystemDamageException(where + ": attribute name runs past its area");
            }
            String suffix = NameBytes.decode(b, pos + 16, nameLen);
            if (valueInode != 0) {
                throw new FilesystemDamageException(where + ": attribute '" + suffix + "' keeps its value in an inode (ea_inode), which Strata cannot read yet");
            }
            long valueStart = (long) valuesBase + valueOffset;
            if (valueSize > end || valueStart + valueSize > end) {
                throw new FilesystemDamageException(where + ": value of attribute '" + suffix + "' lies outside its area");
            }
            String prefix = index < PREFIXES.length ? PREFIXES[index] : null;
            if (prefix != null) {
                byte[] value = new byte[(int) valueSize];
                System.arraycopy(b, (int) valueStart, value, 0, value.length);
                if (index == 2 || index == 3) {
                    out.add(new Xattr(prefix + suffix, acl(value, where)));
                } else if (suffix.indexOf('\0') < 0) {
                    out.add(new Xattr(prefix + suffix, value));
                }
            }
            pos += (16 + nameLen + 3) & ~3;
        }
        return out;
    }

    /** ext's short ACL form (version 1, 4-byte entries for owner, group, mask, other) to the xattr form (version 2, 8 bytes each). */
    static byte[] acl(byte[] v, String where) throws FilesystemDamageException {
        if (v.length < 4 || Le.s32(v, 0) != 1) {
            throw new FilesystemDamageException(where + ": POSIX ACL with unknown version");
        }
        List<long[]> entries = new ArrayList<>();
        int pos = 4;
        while (pos < v.length) {
            if (pos + 4 > v.length) {
                throw new FilesystemDamageException(where + ": truncated POSIX ACL");
            }
            int tag = Le.u16(v, pos);
            int perm = Le.u16(v, pos + 2);
            if (tag == 0x02 || tag == 0x08) {
                if (pos + 8 > v.length) {
                    throw new FilesystemDamageException(where + ": truncated POSIX ACL");
                }
                entries.add(new long[]{tag, perm, Le.u32(v, pos + 4)});
                pos += 8;
            } else {
                entries.add(new long[]{tag, perm, 0xFFFFFFFFL});
                pos += 4;
            }
        }
        byte[] out = new byte[4 + 8 * entries.size()];
        out[0] = 2;
        int o = 4;
        for (long[] e : entries) {
            put16(out, o, (int) e[0]);
            put16(out, o + 2, (int) e[1]);
            put16(out, o + 4, (int) e[2]);
            put16(out, o + 6, (int) (e[2] >>> 16));
            o += 8;
        }
        return out;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
