package dev.strata.core.index;

import org.lmdbjava.Dbi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The other process of {@link LmdbEnvironmentTest}: opens the environment with a tiny map, prints the
 * value the test wrote before starting it, then writes {@code count} values of {@code size} bytes,
 * growing the map, and prints its final map size.
 *
 * <p>Arguments: folder, count, size.
 */
public final class LmdbPeerMain {
    private LmdbPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(folder, 64 * 1024)) {
            Dbi<byte[]> table = lmdb.table("t", false);
            byte[] fromParent = lmdb.read(txn -> table.get(txn, LmdbEnvironmentTest.key("parent", 0)));
            System.out.println("SAW " + (fromParent == null ? "nothing" : new String(fromParent, StandardCharsets.UTF_8)));
            for (int i = 0; i < count; i += 16) {
                int from = i;
                lmdb.write(txn -> {
                    for (int j = from; j < Math.min(count, from + 16); j++) {
                        table.put(txn, LmdbEnvironmentTest.key("child", j), value(j, size));
                    }
                });
            }
            System.out.println("DONE " + lmdb.mapSize());
            System.out.flush();
        }
    }

    static byte[] value(int i, int size) {
        byte[] v = new byte[size];
        Arrays.fill(v, (byte) i);
        return v;
    }
}
