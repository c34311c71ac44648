package dev.strata.core.tree;

import com.github.luben.zstd.Zstd;
import dev.strata.core.compress.CompressionCode;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackEntry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Decodes hostile trees, content lists and chunk entries in a JVM with a tiny heap (started by
 * {@link HostileDecodeSmallHeapTest}): prints one line per case, "name: corrupt", "name: decoded" or
 * "name: other <error>". A decoder that believed a count would die of OutOfMemoryError here.
 */
public final class HostileDecodeMain {
    private HostileDecodeMain() {
    }

    public static void main(String[] args) {
        byte[] frame = Zstd.compress(new byte[100]);
        Map<String, Callable<Object>> cases = new LinkedHashMap<>();
        cases.put("tree-2^31-entries", () -> TreeCodec.decode(HostileTrees.treeClaimingEntries(1L << 31, 64), "t"));
        cases.put("tree-entries-as-many-as-bytes", () -> TreeCodec.decode(HostileTrees.treeClaimingEntries(3 << 20, 3 << 20), "t"));
        cases.put("tree-2^31-xattrs", () -> TreeCodec.decode(HostileTrees.treeClaimingXattrs((1L << 31) - 1), "t"));
        cases.put("tree-2^31-refs", () -> TreeCodec.decode(HostileTrees.treeClaimingReferences((1L << 31) - 1), "t"));
        cases.put("list-refs-as-many-as-bytes", () -> TreeCodec.decodeContentList(HostileTrees.contentListClaiming(3 << 20, 3 << 20), "l"));
        cases.put("entry-raw-2^31", () -> new PackEntry(ChunkId.of(new byte[32]), 48, 128, Integer.MAX_VALUE, CompressionCode.ZSTD));
        cases.put("zstd-frame-claimed-2^31", () -> new ZstdCompressor(3).decompress(CompressionCode.ZSTD, frame, 0,
                frame.length, Integer.MAX_VALUE));
        cases.put("zstd-frame-claimed-200MiB", () -> new ZstdCompressor(3).decompress(CompressionCode.ZSTD, frame, 0,
                frame.length, 200 << 20));
        for (Map.Entry<String, Callable<Object>> c : cases.entrySet()) {
            String outcome;
            try {
                c.getValue().call();
                outcome = "decoded";
            } catch (CorruptDataException | IllegalArgumentException e) {
                outcome = "corrupt";
            } catch (Throwable e) {
                outcome = "other " + e;
            }
            System.out.println(c.getKey() + ": " + outcome);
        }
        System.out.flush();
    }
}
