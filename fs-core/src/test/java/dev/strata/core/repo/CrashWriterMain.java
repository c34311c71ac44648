package dev.strata.core.repo;

import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackType;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * The writer {@link CrashDuringWriteTest} kills: opens the repository in {@code args[0]} (made by
 * {@link TestRepositories#local}) with a write lock and stores seeded data until it is killed. After
 * each flush returns it prints what that flush made durable:
 *
 * <pre>FLUSHED &lt;data seed&gt; &lt;data length&gt; &lt;tree chunk id&gt; &lt;ref&gt;,&lt;ref&gt;,…</pre>
 *
 * where a ref is {@code <chunk id hex>:<length>} or {@code hole:<length>}; the tree chunk holds
 * {@code RandomData.text(seed, 5000)}.
 */
public final class CrashWriterMain {
    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        SplittableRandom random = new SplittableRandom(seed);
        try (Repository repo = TestRepositories.local(dir).workers(2).open(LockMode.WRITE)) {
            System.out.println("OPEN " + ProcessHandle.current().pid());
            System.out.flush();
            for (long i = 0; ; i++) {
                long dataSeed = seed * 1_000_000 + i;
                int length = 100_000 + random.nextInt(1_500_000);
                byte[] data = RandomData.mixed(dataSeed, length);
                List<ChunkRef> refs = repo.store().putStream(RandomData.channel(data));
                ChunkId tree = repo.store().put(RandomData.text(dataSeed, 5000), PackType.TREE);
                repo.store().flush();
                StringJoiner line = new StringJoiner(",", "FLUSHED " + dataSeed + " " + length + " " + tree + " ", "");
                for (ChunkRef ref : refs) {
                    line.add((ref.isHole() ? "hole" : ref.id().toString()) + ":" + ref.length());
                }
                System.out.println(line);
                System.out.flush();
            }
        }
    }
}
