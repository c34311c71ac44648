package dev.strata.volume.view;

import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;
import dev.strata.volume.state.SyncRecord;
import dev.strata.volume.state.VolumeState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.strata.volume.view.TestVolume.ME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer's change applied under the open files of a real live volume ({@code VolumeData.fromPeer}): a
 * file only read here takes it at once, its open handles included; a file open for writing is left to
 * its writer.
 */
@Timeout(60)
class PeerChangeTest {
    private static final long PEER = 77;

    @TempDir
    Path dir;
    private TestVolume v;

    @BeforeEach
    void open() throws IOException {
        v = new TestVolume(dir);
        v.volume.state().enableSync(0x1234L);
    }

    @AfterEach
    void close() throws IOException {
        v.close();
    }

    /** The record a peer would send after writing {@code text} into {@code path} (its chunks stored here, as sent first). */
    private SyncRecord peerWrote(String path, String text) throws IOException {
        TestVolume.write(v.root(), "peer-copy", text);
        SyncRecord mine = v.volume.state().syncRecord(bytes(path));
        SyncRecord copy = v.volume.state().syncRecord(bytes("peer-copy"));
        return copy.at(bytes(path)).madeBy(PEER, mine.vector().bump(PEER, 1), 1);
    }

    private VolumeState.Applied apply(SyncRecord r) throws IOException {
        return v.volume.data().fromPeer(files -> v.volume.state().syncApply(r, false, false, null, bytes("peer"), 1, files));
    }

    @Test
    void aFileOpenOnlyForReading_takesThePeersContent_andItsOpenHandleReadsIt() throws IOException {
        TestVolume.write(v.root(), "f", "old content\n");
        SyncRecord theirs = peerWrote("f", "the peer's longer content\n");
        ViewNode f = v.child("f");
        try (OpenFile reader = f.open()) {
            assertThat(apply(theirs)).isEqualTo(VolumeState.Applied.APPLIED);

            assertThat(new String(TestVolume.read(f), StandardCharsets.UTF_8)).isEqualTo("the peer's longer content\n");
            assertThat(f.attributes().size()).isEqualTo("the peer's longer content\n".length());
            byte[] viaOpenHandle = new byte[64];
            int n = reader.read(0, 64, TestVolume.sink(viaOpenHandle, 0));
            assertThat(new String(viaOpenHandle, 0, n, StandardCharsets.UTF_8)).isEqualTo("the peer's longer content\n");
        }
        assertThat(new String(TestVolume.read(v.child("f")), StandardCharsets.UTF_8)).isEqualTo("the peer's longer content\n");
    }

    @Test
    void aFileOpenForWriting_isLeftToItsWriter_andTakesTheRecordOnceClosed() throws IOException {
        TestVolume.write(v.root(), "f", "old content\n");
        SyncRecord theirs = peerWrote("f", "the peer's content\n");
        ViewNode f = v.child("f");
        try (OpenFile writer = f.openForWriting()) {
            assertThat(apply(theirs)).isEqualTo(VolumeState.Applied.OPEN);
            assertThat(new String(TestVolume.read(f), StandardCharsets.UTF_8)).isEqualTo("old content\n");
        }
        assertThat(apply(theirs)).isEqualTo(VolumeState.Applied.APPLIED);
        assertThat(new String(TestVolume.read(v.child("f")), StandardCharsets.UTF_8)).isEqualTo("the peer's content\n");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
