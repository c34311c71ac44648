package dev.strata.cli.e2e;

import dev.strata.core.posix.DeviceNumbers;
import dev.strata.core.posix.FileMode;
import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;
import dev.strata.core.testing.RandomData;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A declarative folder tree for end-to-end tests, holding whatever metadata a backup must keep:
 * {@code TreeFixture.of(file("a.txt", "hi"), dir("sub", symlink("l", "../a.txt"))).createOn(path)}.
 * Every entry gets distinct nanosecond times unless it names its own; owners, modes, xattrs and
 * POSIX ACLs are applied in the order that keeps every bit (owner, xattrs, mode, times), children
 * before their folder so folder times stay as set. {@link #everything(long)} is the full
 * every-kind-of-metadata tree. Confined to one thread.
 */
final class TreeFixture {
    /** Base of the default times: 2020-09-13T12:26:40Z. */
    private static final long BASE_SECONDS = 1_600_000_000L;

    private final List<Entry> top;
    private Timespec rootAtime;
    private Timespec rootMtime;
    private int rootMode = -1;

    private TreeFixture(List<Entry> top) {
        this.top = top;
    }

    static TreeFixture of(Entry... entries) {
        return new TreeFixture(List.of(entries));
    }

    /** Gives the root folder itself a mode and times (applied last). */
    TreeFixture root(int mode, Timespec atime, Timespec mtime) {
        this.rootMode = mode;
        this.rootAtime = atime;
        this.rootMtime = mtime;
        return this;
    }

    // ---- entries ----

    enum Kind { FILE, SPARSE, DIR, SYMLINK, HARDLINK, FIFO, SOCKET, CHAR_DEVICE, BLOCK_DEVICE }

    /** One entry of the tree; the setters return it for chaining. */
    static final class Entry {
        final Kind kind;
        final String name;
        final List<Entry> children = new ArrayList<>();
        byte[] content;
        long size;
        long[] dataOffsets;
        String target;
        long rdev;
        int mode = -1;
        int uid = -1;
        int gid = -1;
        Timespec atime;
        Timespec mtime;
        final Map<String, byte[]> xattrs = new LinkedHashMap<>();

        private Entry(Kind kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        Entry mode(int m) {
            this.mode = m;
            return this;
        }

        Entry owner(int u, int g) {
            this.uid = u;
            this.gid = g;
            return this;
        }

        Entry times(Timespec a, Timespec m) {
            this.atime = a;
            this.mtime = m;
            return this;
        }

        Entry xattr(String n, byte[] value) {
            xattrs.put(n, value);
            return this;
        }

        Entry xattr(String n, String value) {
            return xattr(n, value.getBytes(StandardCharsets.UTF_8));
        }

        /** A POSIX access ACL ({@code system.posix_acl_access}); see {@link #acl(int...)}. */
        Entry acl(byte[] value) {
            return xattr("system.posix_acl_access", value);
        }
    }

    static Entry file(String name, byte[] content) {
        Entry e = new Entry(Kind.FILE, name);
        e.content = content;
        return e;
    }

    static Entry file(String name, String text) {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A file of {@code size} bytes, all holes except 64 KiB of seeded random data at each offset. */
    static Entry sparse(String name, long size, long seed, long... dataOffsets) {
        Entry e = new Entry(Kind.SPARSE, name);
        e.size = size;
        e.content = RandomData.bytes(seed, 64 << 10);
        e.dataOffsets = dataOffsets;
        return e;
    }

    static Entry dir(String name, Entry... children) {
        Entry e = new Entry(Kind.DIR, name);
        e.children.addAll(List.of(children));
        return e;
    }

    static Entry symlink(String name, String target) {
        Entry e = new Entry(Kind.SYMLINK, name);
        e.target = target;
        return e;
    }

    /** Another name for the regular file at {@code existing} (relative to the root, declared earlier). */
    static Entry hardlink(String name, String existing) {
        Entry e = new Entry(Kind.HARDLINK, name);
        e.target = existing;
        return e;
    }

    static Entry fifo(String name) {
        return new Entry(Kind.FIFO, name);
    }

    static Entry socket(String name) {
        return new Entry(Kind.SOCKET, name);
    }

    static Entry charDevice(String name, int major, int minor) {
        Entry e = new Entry(Kind.CHAR_DEVICE, name);
        e.rdev = DeviceNumbers.makedev(major, minor);
        return e;
    }

    static Entry blockDevice(String name, int major, int minor) {
        Entry e = new Entry(Kind.BLOCK_DEVICE, name);
        e.rdev = DeviceNumbers.makedev(major, minor);
        return e;
    }

    // ---- POSIX ACLs in their xattr encoding (linux/posix_acl_xattr.h) ----

    static final int ACL_USER_OBJ = 0x01;
    static final int ACL_USER = 0x02;
    static final int ACL_GROUP_OBJ = 0x04;
    static final int ACL_GROUP = 0x08;
    static final int ACL_MASK = 0x10;
    static final int ACL_OTHER = 0x20;
    private static final int ACL_UNDEFINED_ID = -1;

    /** An ACL from (tag, perm, id) triples, id ignored for the *_OBJ, MASK and OTHER tags; sorted as the kernel wants. */
    static byte[] acl(int... triples) {
        if (triples.length % 3 != 0) {
            throw new IllegalArgumentException("tag, perm, id triples");
        }
        List<int[]> entries = new ArrayList<>();
        for (int i = 0; i < triples.length; i += 3) {
            int tag = triples[i];
            boolean named = tag == ACL_USER || tag == ACL_GROUP;
            entries.add(new int[] {tag, triples[i + 1], named ? triples[i + 2] : ACL_UNDEFINED_ID});
        }
        entries.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compareUnsigned(a[2], b[2]));
        ByteBuffer buf = ByteBuffer.allocate(4 + 8 * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(2);
        for (int[] e : entries) {
            buf.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]);
        }
        return buf.array();
    }

    // ---- the full tree ----

    /**
     * Every kind of entry and metadata: files of several sizes (empty, small, a multi-chunk 3 MiB one),
     * setuid/setgid/sticky and odd modes, other owners, nanosecond times, user xattrs and ACLs, three
     * hard-linked names in different folders, relative, absolute and dangling symlinks, a 64 MiB sparse
     * file, a fifo, a socket, device nodes, empty and deep folders, names with spaces and unicode.
     */
    static TreeFixture everything(long seed) {
        Entry deep = file("leaf.txt", "at the bottom\n");
        for (int i = 12; i >= 1; i--) {
            deep = dir("level-" + i, deep);
        }
        return of(
                file("empty", new byte[0]),
                file("small.txt", "hello, strata\n").xattr("user.comment", "a small file").xattr("user.binary", new byte[] {0, 1, 2, (byte) 0xFF, 0}),
                file("text.log", RandomData.text(seed + 1, 300_000)),
                file("big.bin", RandomData.bytes(seed + 2, 3 * 1024 * 1024 + 12_345)).owner(1234, 5678).mode(0640),
                file("setuid", "#!/bin/sh\n").mode(04755).owner(1000, 1000),
                file("setgid", "#!/bin/sh\n").mode(02711).owner(1001, 100),
                file("no-perms", "nobody may read me\n").mode(0000).owner(65534, 65534),
                file("odd-perms", "odd\n").mode(0421),
                file("acl.txt", "with an access ACL\n").mode(0750).acl(acl(
                        ACL_USER_OBJ, 7, 0, ACL_USER, 5, 4321, ACL_GROUP_OBJ, 5, 0, ACL_GROUP, 4, 999,
                        ACL_MASK, 5, 0, ACL_OTHER, 0, 0)),
                file("with space.txt", "spaces in the name\n"),
                file("ünïcødé 日本語 ✓.txt", "unicode name\n").times(new Timespec(1_234_567_890L, 987_654_321), new Timespec(1_111_111_111L, 1)),
                file("ancient", "before the epoch\n").times(new Timespec(86_400L * 365, 999_999_999), new Timespec(-86_400L, 500_000_000)),
                sparse("sparse.img", 64L << 20, seed + 3, 0, 10L << 20, (40L << 20) + 4096),
                dir("links",
                        file("original", RandomData.bytes(seed + 4, 200_000)).mode(0604).owner(2000, 2001),
                        symlink("relative", "original"),
                        symlink("up-and-over", "../dir with spaces/note"),
                        symlink("absolute", "/etc/hostname"),
                        symlink("dangling", "no/such/target").owner(3000, 3001)),
                dir("dir with spaces",
                        file("note", "a note\n"),
                        hardlink("second name", "links/original")),
                dir("sticky", file("tmpfile", "in a sticky folder\n")).mode(01777),
                dir("setgid-dir", file("inherits", "group\n").owner(0, 4242)).mode(02775).owner(0, 4242),
                dir("read-only", file("inside", "in a read-only folder\n")).mode(0555),
                dir("xattr-dir").xattr("user.dir", "on a folder").xattr("system.posix_acl_default", acl(
                        ACL_USER_OBJ, 7, 0, ACL_GROUP_OBJ, 5, 0, ACL_OTHER, 5, 0, ACL_USER, 6, 1234, ACL_MASK, 7, 0)),
                dir("empty-dir"),
                dir("special",
                        fifo("fifo").mode(0620),
                        socket("socket"),
                        charDevice("chardev", 42, 7).mode(0600).owner(0, 6),
                        blockDevice("blockdev", 7, 200).mode(0660).owner(0, 6),
                        hardlink("third name", "links/original")),
                dir("deep", deep))
                .root(0750, new Timespec(1_700_000_000L, 111_111_111), new Timespec(1_600_000_001L, 222_222_222));
    }

    // ---- creation ----

    /** Creates the tree under {@code root} (created if missing), then applies all metadata. */
    Path createOn(Path root) throws IOException {
        Files.createDirectories(root);
        Posix posix = Posix.get();
        List<Map.Entry<Path, Entry>> created = new ArrayList<>();
        int[] counter = {0};
        for (Entry e : top) {
            create(root, root, e, created, counter);
        }
        // Post-order: children were added before their folder, so folder times are set last.
        for (Map.Entry<Path, Entry> c : created) {
            applyMetadata(posix, c.getKey(), c.getValue());
        }
        if (rootMode >= 0) {
            posix.chmod(root, rootMode);
        }
        if (rootMtime != null) {
            posix.setTimes(root, rootAtime, rootMtime, false);
        }
        return root;
    }

    private void create(Path root, Path parent, Entry e, List<Map.Entry<Path, Entry>> created, int[] counter)
            throws IOException {
        Path p = parent.resolve(e.name);
        int i = ++counter[0];
        if (e.mtime == null && e.kind != Kind.HARDLINK) {
            // Distinct seconds and nanoseconds for every entry; atime after mtime like a real read.
            e.mtime = new Timespec(BASE_SECONDS + i * 3_600L, (int) ((i * 123_456_789L) % 1_000_000_000L));
            e.atime = new Timespec(BASE_SECONDS + i * 3_600L + 1_800, (int) ((i * 987_654_321L + 7) % 1_000_000_000L));
        }
        Posix posix = Posix.get();
        switch (e.kind) {
            case FILE -> Files.write(p, e.content);
            case SPARSE -> {
                try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                    raf.setLength(e.size);
                    for (long off : e.dataOffsets) {
                        raf.seek(off);
                        raf.write(e.content);
                    }
                }
            }
            case DIR -> {
                Files.createDirectory(p);
                for (Entry c : e.children) {
                    create(root, p, c, created, counter);
                }
            }
            case SYMLINK -> Files.createSymbolicLink(p, Path.of(e.target));
            case HARDLINK -> Files.createLink(p, root.resolve(e.target));
            case FIFO -> posix.mkfifo(p, 0644);
            case SOCKET -> {
                try (ServerSocketChannel ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                    ch.bind(UnixDomainSocketAddress.of(p));
                }
            }
            case CHAR_DEVICE -> posix.mknod(p, FileMode.S_IFCHR | 0644, e.rdev);
            case BLOCK_DEVICE -> posix.mknod(p, FileMode.S_IFBLK | 0644, e.rdev);
            default -> throw new IllegalStateException(e.kind.toString());
        }
        if (e.kind != Kind.HARDLINK) {
            created.add(Map.entry(p, e));
        }
    }

    private static void applyMetadata(Posix posix, Path p, Entry e) throws IOException {
        if (e.uid >= 0) {
            posix.lchown(p, e.uid, e.gid);
        }
        for (Map.Entry<String, byte[]> x : e.xattrs.entrySet()) {
            posix.setXattr(p, x.getKey(), x.getValue());
        }
        if (e.kind != Kind.SYMLINK) {
            // After chown (which clears setuid/setgid) and after the ACL (which sets the group bits).
            posix.chmod(p, e.mode >= 0 ? e.mode : e.kind == Kind.DIR ? 0755 : 0644);
        }
        posix.setTimes(p, e.atime, e.mtime, false);
    }
}
