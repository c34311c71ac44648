package dev.strata.core.tree;

import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackType;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes tree objects and content lists through the chunk store, keeping recently decoded
 * trees in a small cache. Thread-safe.
 */
public final class TreeStore {
    /** Files with more references than this keep them in content lists. */
    public static final int MAX_INLINE_REFERENCES = 1024;
    /** The most references one content list holds. */
    public static final int MAX_LIST_REFERENCES = 8192;
    private static final int CACHED_TREES = 4096;
    /**
     * Encoded bytes of the trees kept decoded (they take a few times that on the heap): a bound by count
     * alone let folders of thousands of entries, or files of a thousand chunks, fill the heap as a walk
     * over many snapshots went on.
     */
    static final long CACHED_TREE_BYTES = 8L << 20;

    private final ChunkStore store;
    /** Guarded by itself, as is {@link #cachedBytes}. */
    private final Map<ChunkId, Cached> cache = new LinkedHashMap<>(256, 0.75f, true);
    private long cachedBytes;

    private record Cached(Tree tree, int bytes) {
    }

    public TreeStore(ChunkStore store) {
        this.store = store;
    }

    public ChunkStore chunks() {
        return store;
    }

    public ChunkId write(Tree tree) throws IOException {
        return store.put(TreeCodec.encode(tree), PackType.TREE);
    }

    public Tree read(ChunkId id) throws IOException {
        synchronized (cache) {
            Cached c = cache.get(id);
            if (c != null) {
                return c.tree();
            }
        }
        byte[] encoded = store.get(id);
        Tree t = TreeCodec.decode(encoded, "tree " + id.shortString());
        synchronized (cache) {
            Cached old = cache.put(id, new Cached(t, encoded.length));
            cachedBytes += encoded.length - (old == null ? 0 : old.bytes());
            var eldest = cache.entrySet().iterator();
            while ((cachedBytes > CACHED_TREE_BYTES || cache.size() > CACHED_TREES) && cache.size() > 1) {
                cachedBytes -= eldest.next().getValue().bytes();
                eldest.remove();
            }
        }
        return t;
    }

    /** How many decoded trees are kept now. */
    int cachedTrees() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /** Stores a tree already encoded ({@link TreeCodec.Encoder}). */
    public ChunkId writeEncoded(byte[] tree) throws IOException {
        return store.put(tree, PackType.TREE);
    }

    /**
     * The entries of a tree, decoded as they are iterated and not cached ({@link TreeCodec#nodes}): a
     * walk over a wide folder holds its bytes, not a node per entry.
     */
    public Iterable<Node> nodes(ChunkId id) throws IOException {
        synchronized (cache) {
            Cached c = cache.get(id);
            if (c != null) {
                return c.tree().nodes();
            }
        }
        return TreeCodec.nodes(store.get(id), "tree " + id.shortString());
    }

    /** The content of a file with these references: inline when small, else in content lists. */
    public FileContent storeContent(List<ChunkRef> refs) throws IOException {
        if (refs.size() <= MAX_INLINE_REFERENCES) {
            return new FileContent.Inline(refs);
        }
        List<ContentBlock> blocks = new ArrayList<>();
        for (int from = 0; from < refs.size(); from += MAX_LIST_REFERENCES) {
            List<ChunkRef> part = refs.subList(from, Math.min(refs.size(), from + MAX_LIST_REFERENCES));
            long bytes = 0;
            for (ChunkRef r : part) {
                bytes += r.length();
            }
            ChunkId id = store.put(TreeCodec.encodeContentList(part), PackType.TREE);
            blocks.add(new ContentBlock(id, bytes, part.size()));
        }
        return new FileContent.Indirect(blocks);
    }

    /** All references of a file's content, in order. */
    public List<ChunkRef> refs(FileContent content) throws IOException {
        if (content instanceof FileContent.Inline) {
            return ((FileContent.Inline) content).refs();
        }
        List<ChunkRef> out = new ArrayList<>();
        for (ContentBlock b : ((FileContent.Indirect) content).blocks()) {
            out.addAll(contentList(b));
        }
        return out;
    }

    /** One content list, checked against what its node says it covers. */
    public List<ChunkRef> contentList(ContentBlock b) throws IOException {
        String what = "content list " + b.list().shortString();
        List<ChunkRef> part = TreeCodec.decodeContentList(store.get(b.list()), what);
        long bytes = 0;
        for (ChunkRef r : part) {
            bytes += r.length();
        }
        if (part.size() != b.references() || bytes != b.bytes()) {
            throw new dev.strata.core.error.CorruptDataException(what + " does not match its file node");
        }
        return part;
    }

    /** Every chunk id a content refers to, content lists included (for marking and checking). */
    public List<ChunkId> chunkIds(FileContent content) throws IOException {
        List<ChunkId> ids = new ArrayList<>();
        if (content instanceof FileContent.Indirect) {
            for (ContentBlock b : ((FileContent.Indirect) content).blocks()) {
                ids.add(b.list());
            }
        }
        for (ChunkRef r : refs(content)) {
            if (!r.isHole()) {
                ids.add(r.id());
            }
        }
        return ids;
    }
}
