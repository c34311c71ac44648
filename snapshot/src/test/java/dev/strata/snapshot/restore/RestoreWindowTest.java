package dev.strata.snapshot.restore;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** How a pack's needed entries are split into ranged reads. */
class RestoreWindowTest {
    private static PackEntry entry(long offset, int stored) {
        byte[] id = new byte[32];
        id[0] = (byte) offset;
        id[1] = (byte) (offset >> 8);
        id[2] = (byte) (offset >> 16);
        return new PackEntry(ChunkId.of(id), offset, stored, stored - 28, CompressionCode.NONE);
    }

    private static List<List<PackEntry>> runs(PackEntry... entries) {
        return RestoreWindow.runs(List.of(entries), Function.identity());
    }

    @Test
    void nearbyEntries_areOneRun_inOffsetOrder_whateverOrderTheyCameIn() {
        PackEntry a = entry(100, 1000);
        PackEntry b = entry(1100, 5000);
        PackEntry c = entry(1100 + 5000 + RestoreWindow.GAP, 1000);

        assertThat(runs(c, a, b)).containsExactly(List.of(a, b, c));
    }

    @Test
    void aGapWiderThanTheLimit_startsANewRun() {
        PackEntry a = entry(100, 1000);
        PackEntry b = entry(1100 + RestoreWindow.GAP + 1, 1000);

        assertThat(runs(a, b)).containsExactly(List.of(a), List.of(b));
    }

    @Test
    void aRunStopsBeforeItWouldSpanMoreThanTheLimit_andALargeEntryIsARunOfItsOwn() {
        PackEntry a = entry(100, RestoreWindow.RUN_BYTES / 2 + 1);
        PackEntry b = entry(a.end(), RestoreWindow.RUN_BYTES / 2);
        PackEntry big = entry(b.end(), RestoreWindow.RUN_BYTES * 2);
        PackEntry after = entry(big.end(), 100);

        assertThat(runs(a, b, big, after)).containsExactly(List.of(a), List.of(b), List.of(big), List.of(after));
    }

    /** From remote storage a whole pack's entries, gaps of a few MiB between them included, are one request. */
    @Test
    void fromRemoteStorage_aPackIsOneRun_unlessItsEntriesLieFarApart() {
        List<PackEntry> pack = new java.util.ArrayList<>();
        long at = 100;
        for (int i = 0; i < 32; i++) {
            PackEntry e = entry(at, 1 << 20);
            pack.add(e);
            at = e.end() + (i % 2 == 0 ? 2 << 20 : 0);
        }
        PackEntry far = entry(at + RestoreWindow.REMOTE_GAP + 1, 100);
        List<PackEntry> all = new java.util.ArrayList<>(pack);
        all.add(far);

        assertThat(RestoreWindow.runs(all, Function.identity(), RestoreWindow.REMOTE_RUN_BYTES, RestoreWindow.REMOTE_GAP))
                .containsExactly(pack, List.of(far));
        assertThat(RestoreWindow.runs(pack, Function.identity())).hasSizeGreaterThan(8);
    }
}
