package dev.strata.core.index;

import java.nio.file.Path;
import java.util.List;

/**
 * A process that builds an empty index in one go and is killed along the way
 * ({@link IndexBuildKilledTest}): args are the index folder and the files' shape (count, packs per
 * file, entries per pack, chunk id pool). Prints READING before it reads the files, COMMITTING before
 * the transaction and COMMITTED after it.
 */
public final class IndexBuildKillMain {
    private IndexBuildKillMain() {
    }

    public static void main(String[] args) throws Exception {
        List<IndexBuildTest.File> files = IndexBuildTest.files(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        try (LmdbIndex index = LmdbIndex.open(Path.of(args[0]), IndexBuildTest.REPO)) {
            System.out.println("READING");
            try (IndexBuild build = IndexBuildTest.started(index, files, 20_000)) {
                System.out.println("COMMITTING");
                build.commit();
                System.out.println("COMMITTED");
            }
        }
    }
}
