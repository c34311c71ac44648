package dev.strata.core.store;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.pack.KeySpace;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.Channels;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store keeps a volume's key space apart from the repository's: two ids for the same bytes, each pack verified under its own key. */
class VolumeKeySpaceTest {
    private static final byte[] VOLUME_ID = new byte[16];

    static {
        Arrays.fill(VOLUME_ID, (byte) 0x5a);
    }

    @TempDir
    Path dir;

    private static VolumeKeys keys() {
        return VolumeKeys.generate(VOLUME_ID, TestRepositories.SMALL_CHUNKS.minSize(), TestRepositories.SMALL_CHUNKS.avgSize(),
                TestRepositories.SMALL_CHUNKS.maxSize());
    }

    @Test
    void theSameBytes_getTwoIds_inPacksThatNameTheirKey_andEachVerifiesOnlyUnderItsOwn() throws IOException {
        VolumeKeys keys = keys();
        try (Repository repo = TestRepositories.local(dir).small().init().open()) {
            ChunkStore volume = repo.volumeStore(keys);
            byte[] data = RandomData.bytes(1, 40_000);
            ChunkId own = repo.store().put(data, PackType.DATA);
            ChunkId theVolumes = volume.putDataChunk(data).id();
            repo.store().flush();
            volume.flush();

            assertNotEquals(own, theVolumes);
            assertEquals(keys.chunkIdHasher().hash(data), theVolumes);
            assertEquals(KeySpace.ofVolume(VOLUME_ID), volume.space());
            PackTable ownPack = tableOf(repo, own);
            PackTable volumePack = tableOf(repo, theVolumes);
            assertEquals(KeySpace.REPOSITORY, ownPack.space());
            assertEquals(KeySpace.ofVolume(VOLUME_ID), volumePack.space());
            PackReader reader = repo.store().packReader();
            reader.verify(ownPack.id(), repo.store().hasher());
            reader.verify(volumePack.id(), keys.chunkIdHasher());
            assertThrows(CorruptDataException.class, () -> reader.verify(ownPack.id(), keys.chunkIdHasher()));
            assertThrows(CorruptDataException.class, () -> reader.verify(volumePack.id(), repo.store().hasher()));

            PackVerifier verifier = repo.store().verifier();
            assertTrue(verifier.verify(ownPack.id()).ok());
            assertTrue(verifier.verify(volumePack.id()).ok(), "verified under the key its pack names");
            assertArrayEquals(data, volume.get(theVolumes));
            assertArrayEquals(data, repo.store().get(own));
        }
    }

    @Test
    void dedup_staysWithinAKeySpace() throws IOException {
        try (Repository repo = TestRepositories.local(dir).small().init().open()) {
            ChunkStore volume = repo.volumeStore(keys());
            byte[] data = RandomData.bytes(2, 300_000);
            repo.store().putStream(Channels.newChannel(new ByteArrayInputStream(data)));
            repo.store().flush();
            long before = volume.stats().chunksNew();
            List<ChunkRef> first = volume.putStream(Channels.newChannel(new ByteArrayInputStream(data)));
            volume.flush();
            assertEquals(first.size(), volume.stats().chunksNew() - before, "nothing found under the repository's key");
            List<ChunkRef> second = volume.putStream(Channels.newChannel(new ByteArrayInputStream(data)));
            assertEquals(first, second);
            assertEquals(first.size(), volume.stats().chunksDuplicate(), "stored once within the volume's key");
        }
    }

    @Test
    void aVolumePack_isNotVerifiedWithoutItsKeys_andIsSalvagedUnderThem() throws IOException {
        VolumeKeys keys = keys();
        ChunkId id;
        PackId pack;
        try (Repository repo = TestRepositories.local(dir).small().init().open()) {
            ChunkStore volume = repo.volumeStore(keys);
            for (int i = 0; i < 4; i++) {
                volume.putDataChunk(RandomData.bytes(10 + i, 30_000));
            }
            id = volume.putDataChunk(RandomData.bytes(20, 30_000)).id();
            volume.flush();
            pack = repo.index().lookup(id).orElseThrow().pack();
        }
        try (Repository repo = TestRepositories.local(dir).small().open()) {
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> repo.store().verifier().verify(pack));
            assertTrue(e.getMessage().contains("the key of volume 5a5a5a5a"), e.getMessage());

            repo.volumeStore(keys);
            Path file = ((LocalBackend) repo.backend()).root().resolve(PackReader.blobName(pack).path());
            long size = java.nio.file.Files.size(file);
            ChunkStoreTest.flipByte(file, size - 20); // inside the table: the pack must be salvaged
            PackVerifier.Result r = repo.store().verifier().verify(pack);
            assertNotNull(r.salvage(), r.describe());
            assertEquals(5, r.salvage().entries().size(), r.describe());
            assertTrue(r.damaged().isEmpty(), r.describe());
            assertArrayEquals(RandomData.bytes(20, 30_000), repo.volumeStore(keys).get(id));
        }
    }

    @Test
    void keysWithChunkerSizesOutOfBounds_areRefusedAsDamaged() throws IOException {
        try (Repository repo = TestRepositories.local(dir).small().init().open()) {
            VolumeKeys bad = VolumeKeys.generate(VOLUME_ID, 4096, 3 * 4096, 65536);
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> repo.volumeStore(bad));
            assertTrue(e.getMessage().startsWith("the keys of volume 5a5a5a5a are damaged"), e.getMessage());
        }
    }

    private static PackTable tableOf(Repository repo, ChunkId id) throws IOException {
        ChunkLocation loc = repo.index().lookup(id).orElseThrow();
        return repo.store().packReader().readTable(loc.pack());
    }
}
