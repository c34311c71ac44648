package dev.strata.sync.volumes;

import dev.strata.core.testing.RandomData;
import dev.strata.volume.state.SyncRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the records to send are cut into messages ({@link SharedVolume#since(long, SharedVolume.SentVersions, long)}):
 * a message takes no more records once its chunks reach the byte bound, so that the records of the
 * first files are applied on the peer while the chunks of later ones travel, and the two records of a
 * rename are never cut apart.
 */
@Timeout(120)
class OutgoingBatchTest {
    private static final int FILE = 96 << 10;

    @TempDir
    Path tmp;

    @Test
    void since_cutsAMessageOnceItsChunksReachTheBound() throws Exception {
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), VolumeSyncTest.keys())) {
            for (int i = 0; i < 3; i++) {
                VolumePeer.write(a.root(), "f" + i, RandomData.bytes(20 + i, FILE));
            }
            awaitSequence(a, 3);

            // The whole list fits a bound that is never reached: one message, as before the bound.
            SharedVolume.Outgoing all = a.shared.since(0, sent(), Long.MAX_VALUE);
            assertThat(all.records()).hasSize(3);

            // A bound of one file's chunks: one file a message, each through its own record.
            List<Integer> sizes = new ArrayList<>();
            long from = 0;
            SharedVolume.Outgoing out;
            SharedVolume.SentVersions sent = sent();
            while ((out = a.shared.since(from, sent, FILE)) != null) {
                sizes.add(out.records().size());
                assertThat(out.chunks()).isNotEmpty();
                assertThat(out.through()).isGreaterThan(from);
                from = out.through();
            }
            assertThat(sizes).containsExactly(1, 1, 1);
            assertThat(from).isEqualTo(all.through());
        }
    }

    @Test
    void since_keepsTheTwoRecordsOfARenameInOneMessage() throws Exception {
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), VolumeSyncTest.keys())) {
            VolumePeer.write(a.root(), "old", RandomData.bytes(30, FILE));
            awaitSequence(a, 1);
            long before = a.shared.sequence();
            VolumePeer.write(a.root(), "other", RandomData.bytes(31, FILE));
            a.root().rename("old", a.root(), "new");
            awaitSequence(a, before + 3);

            // With a bound of one byte: the new file's record alone (its chunks reach the bound), then the
            // tombstone with the record after it.
            SharedVolume.SentVersions sent = sent();
            SharedVolume.Outgoing first = a.shared.since(before, sent, 1);
            assertThat(first.records()).hasSize(1);
            assertThat(new String(decode(first.records().get(0)).path())).isEqualTo("other");
            SharedVolume.Outgoing out = a.shared.since(first.through(), sent, 1);
            List<SyncRecord> records = out.records().stream().map(b -> decode(b)).toList();
            assertThat(records).hasSize(2);
            assertThat(records.get(0).deleted()).isTrue();
            assertThat(new String(records.get(0).path())).isEqualTo("old");
            assertThat(new String(records.get(1).path())).isEqualTo("new");
        }
    }

    private static SharedVolume.SentVersions sent() {
        return new SharedVolume.SentVersions(0);
    }

    private static SyncRecord decode(byte[] b) {
        try {
            return SyncRecord.decode(b, "a record");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitSequence(VolumePeer p, long at) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (p.shared.sequence() < at) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sync index reached only " + p.shared.sequence() + ", not " + at);
            }
            Thread.sleep(20);
        }
    }
}
