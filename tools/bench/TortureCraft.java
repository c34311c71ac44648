import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.ChunkId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.HostIdentity;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What tools/bench/torture.sh cannot do from outside: it needs the repository's keys. Run as a
 * single-file program against the built jar (java -cp tools/target/strata.jar TortureCraft.java):
 *
 * <pre>
 *   packs-of SNAPSHOT-ID PATH   one JSON line per file below PATH in the snapshot: its path relative to
 *                               PATH and, per chunk, every pack that holds the chunk (from the index)
 *   craft KIND                  writes a hostile snapshot and prints its id. KIND: dotdot (a tree entry
 *                               named ".." over a folder holding a file), huge-count (a tree claiming
 *                               2^60 entries), huge-size (a file of 2^62 bytes, one hole), huge-refs (a
 *                               file claiming 2^40 content references), huge-name (a name of 2^40
 *                               bytes), no-fields (a snapshot record with only version and kind)
 * </pre>
 *
 * The repository, password and cache come from STRATA_REPO, STRATA_PASSWORD and STRATA_CACHE_DIR.
 * Hostile trees are written byte by byte after docs/format.md §10, since Strata's own encoder
 * refuses to write them. Confined to one thread.
 */
public final class TortureCraft {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TortureCraft packs-of SNAPSHOT PATH | craft KIND");
            System.exit(2);
        }
        Path cache = Path.of(System.getenv("STRATA_CACHE_DIR"));
        char[] password = System.getenv("STRATA_PASSWORD").toCharArray();
        LockMode mode = args[0].equals("craft") ? LockMode.WRITE : LockMode.READ;
        try (Repository repo = Repository.open(new LocalBackend(Path.of(System.getenv("STRATA_REPO"))), password,
                OpenOptions.of(cache, mode), Clock.systemUTC(), HostIdentity.current())) {
            switch (args[0]) {
                case "packs-of" -> packsOf(repo, args[1], args.length > 2 ? args[2] : "/");
                case "craft" -> System.out.println(craft(repo, args[1]));
                default -> {
                    System.err.println("unknown command " + args[0]);
                    System.exit(2);
                }
            }
        }
    }

    // --- packs-of ---------------------------------------------------------------------------

    private static void packsOf(Repository repo, String snapshotId, String path) throws Exception {
        Map<ChunkId, Set<String>> where = new HashMap<>();
        for (ChunkLocation loc : repo.index().allLocations()) {
            where.computeIfAbsent(loc.entry().id(), k -> new TreeSet<>()).add(loc.pack().toString());
        }
        byte[] record = repo.backend().get(BlobName.of(BlobType.SNAPSHOT, snapshotId));
        byte[] json = repo.key().metadataCipher().open(record, "strata-snapshot/v1".getBytes(StandardCharsets.US_ASCII));
        ChunkId root = ChunkId.parse(JSON.readTree(json).get("tree").asText());
        TreeStore trees = new TreeStore(repo.store());
        ChunkId start = root;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Node n = trees.read(start).find(part).orElseThrow(() -> new IOException(path + " is not in the snapshot"));
            start = n.subtree();
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        walk(trees, start, "", where, out);
        out.flush();
    }

    private static void walk(TreeStore trees, ChunkId id, String prefix, Map<ChunkId, Set<String>> where, PrintStream out)
            throws IOException {
        Tree t = trees.read(id);
        for (Node n : t.nodes()) {
            String p = prefix.isEmpty() ? n.name() : prefix + "/" + n.name();
            if (n.isDirectory()) {
                walk(trees, n.subtree(), p, where, out);
            } else if (n.isFile()) {
                List<List<String>> chunks = new ArrayList<>();
                for (ChunkId c : trees.chunkIds(n.content())) {
                    chunks.add(new ArrayList<>(where.getOrDefault(c, Set.of())));
                }
                ObjectNode line = JSON.createObjectNode();
                line.put("p", p);
                line.set("chunks", JSON.valueToTree(chunks));
                out.println(JSON.writeValueAsString(line));
            }
        }
    }

    // --- craft ------------------------------------------------------------------------------

    private static final long BIG = 1L << 40;

    private static String craft(Repository repo, String kind) throws Exception {
        if (kind.equals("no-fields")) {
            ObjectNode rec = JSON.createObjectNode();
            rec.put("version", 1);
            rec.put("kind", "backup");
            return saveRecord(repo, rec);
        }
        byte[] root = switch (kind) {
            case "dotdot" -> {
                ChunkId inner = put(repo, tree(1, fileNode("escaped-by-torture", 16)));
                yield tree(2, dirNode("..", inner), fileNode("ok.txt", 16));
            }
            case "huge-count" -> tree(1L << 60, fileNode("only.txt", 16));
            case "huge-size" -> tree(1, fileNode("huge", 1L << 62));
            case "huge-refs" -> {
                Bytes b = nodeHead("many-refs", 1, 0);
                b.u8(0).varint(BIG);        // form 0, 2^40 inline references follow (none do)
                b.u8(1).varint(16);         // one hole, then the object ends
                yield tree(1, b.bytes());
            }
            case "huge-name" -> {
                Bytes b = new Bytes();
                b.varint(BIG).raw("x".getBytes(StandardCharsets.US_ASCII));
                yield tree(1, b.bytes());
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
        ChunkId rootId = put(repo, root);
        ObjectNode rec = JSON.createObjectNode();
        rec.put("version", 1);
        rec.put("kind", "backup");
        String now = Instant.now().toString();
        rec.put("time", now);
        rec.put("host", "torture");
        rec.put("user", "root");
        rec.put("uid", 0);
        rec.put("gid", 0);
        rec.putArray("paths").add("/crafted-" + kind);
        rec.putArray("tags").add("crafted");
        rec.put("tree", rootId.toString());
        rec.putArray("excludes");
        ObjectNode sum = rec.putObject("summary");
        sum.put("start", now);
        sum.put("end", now);
        return saveRecord(repo, rec);
    }

    private static ChunkId put(Repository repo, byte[] tree) throws IOException {
        ChunkId id = repo.store().put(tree, PackType.TREE);
        repo.store().flush();
        return id;
    }

    private static String saveRecord(Repository repo, ObjectNode rec) throws Exception {
        byte[] envelope = repo.key().metadataCipher().seal(JSON.writeValueAsBytes(rec),
                "strata-snapshot/v1".getBytes(StandardCharsets.US_ASCII));
        String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(envelope));
        repo.backend().put(BlobName.of(BlobType.SNAPSHOT, id), envelope);
        return id;
    }

    /** A tree object (format.md §10.2) claiming {@code count} nodes, followed by the given node bytes. */
    private static byte[] tree(long count, byte[]... nodes) {
        Bytes b = new Bytes().raw("STRT".getBytes(StandardCharsets.US_ASCII)).u8(1).varint(count);
        for (byte[] n : nodes) {
            b.raw(n);
        }
        return b.bytes();
    }

    /** Name, type and the fixed metadata of a node, up to its type-specific part. */
    private static Bytes nodeHead(String name, int type, long size) {
        Bytes b = new Bytes();
        byte[] nb = name.getBytes(StandardCharsets.UTF_8);
        b.varint(nb.length).raw(nb).u8(type).varint(type == 2 ? 0755 : 0644);
        b.varint(0).varint(0).varint(0).varint(0);                // uid, gid, user "", group ""
        for (int i = 0; i < 3; i++) {
            b.varint(2L * 1_704_067_200L).varint(0);              // atime, mtime, ctime (zigzag seconds, ns)
        }
        b.varint(1).varint(1).varint(1).varint(0).varint(size);  // inode, device, links, rdev, size
        b.varint(0);                                              // no xattrs
        return b;
    }

    private static byte[] fileNode(String name, long holeBytes) {
        Bytes b = nodeHead(name, 1, holeBytes);
        b.u8(0).varint(1).u8(1).varint(holeBytes);                // inline, one hole reference
        return b.varint(0).bytes();                               // flags
    }

    private static byte[] dirNode(String name, ChunkId subtree) {
        Bytes b = nodeHead(name, 2, 0);
        b.raw(subtree.bytes());
        return b.varint(0).bytes();
    }

    /** A growing byte buffer with the encodings of format.md §10.1. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private TortureCraft() {
    }
}
