package dev.strata.core.backend.local;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.testing.BackendContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend contract for local folders, and what only a folder can get wrong. */
class LocalBackendTest extends BackendContract {

    private Path root() {
        return scratch.resolve("repo");
    }

    @Override
    protected Backend newBackend() {
        return new LocalBackend(root());
    }

    @Override
    protected void putForeignObject(String path, byte[] data) throws IOException {
        Path file = root().resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }

    private List<String> tmpFiles() throws IOException {
        try (Stream<Path> s = Files.list(root().resolve("tmp"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A range larger than one read (1 MiB) at an odd offset comes back whole and in order. */
    @Test
    void read_ofARangeOfSeveralMebibytes_returnsThoseBytes() throws IOException {
        BlobName name = randomName(BlobType.PACK);
        byte[] data = new byte[(5 << 20) + 777];
        new java.util.Random(3).nextBytes(data);
        backend.put(name, data);

        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1001, data.length - 5),
                backend.read(name, 1001, data.length - 1006));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1 << 20, 2 << 20), backend.read(name, 1 << 20, 1 << 20));
    }

    @Test
    void create_makesTheLayout() {
        for (String folder : List.of("keys", "data", "snapshots", "locks", "tmp")) {
            assertTrue(Files.isDirectory(root().resolve(folder)), folder);
        }
        for (int i = 0; i < 256; i++) {
            assertTrue(Files.isDirectory(root().resolve("data").resolve(String.format("%02x", i))));
        }
    }

    @Test
    void create_inAnEmptyExistingFolder_works() throws IOException {
        Path empty = Files.createDirectory(scratch.resolve("empty"));
        new LocalBackend(empty).create();
        assertTrue(Files.isDirectory(empty.resolve("data/ff")));
    }

    @Test
    void create_refusesAFolderThatIsNotEmpty() throws IOException {
        Path folder = Files.createDirectory(scratch.resolve("photos"));
        Files.writeString(folder.resolve("holiday.jpg"), "not a repository");

        UserFacingException e = assertThrows(UserFacingException.class, () -> new LocalBackend(folder).create());

        assertEquals(ExitCode.ALREADY_EXISTS, e.exitCode());
        try (Stream<Path> s = Files.list(folder)) {
            assertEquals(List.of(folder.resolve("holiday.jpg")), s.toList(), "nothing was added");
        }
    }

    @Test
    void create_refusesAFile() throws IOException {
        Path file = Files.writeString(scratch.resolve("file"), "x");
        UserFacingException e = assertThrows(UserFacingException.class, () -> new LocalBackend(file).create());
        assertEquals(ExitCode.ALREADY_EXISTS, e.exitCode());
    }

    @Test
    void blobs_areFilesWhereTheFormatSays() throws IOException {
        BlobName pack = randomName(BlobType.PACK);
        backend.put(pack, new byte[] {1, 2});
        backend.put(BlobName.CONFIG, new byte[] {3});
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(root().resolve("data").resolve(pack.name().substring(0, 2)).resolve(pack.name())));
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(root().resolve("config")));
    }

    @Test
    void filesLeftInTmp_areNeverListed() throws IOException {
        BlobName real = randomName(BlobType.PACK);
        backend.put(real, new byte[8]);
        Path tmp = root().resolve("tmp");
        // What a crash leaves: staged packs and half-written blobs, some named like blobs.
        Files.write(tmp.resolve("pack-" + randomName(BlobType.PACK).name() + ".tmp"), new byte[100]);
        Files.write(tmp.resolve(java.util.UUID.randomUUID() + ".tmp"), new byte[100]);
        Files.write(tmp.resolve(randomName(BlobType.PACK).name()), new byte[100]);
        Files.write(tmp.resolve(randomName(BlobType.KEY).name()), new byte[100]);
        Files.write(tmp.resolve("config"), new byte[100]);

        assertEquals(List.of(new BlobInfo(real, 8)), backend.list(BlobType.PACK));
        for (BlobType type : List.of(BlobType.KEY, BlobType.LOCK, BlobType.SNAPSHOT, BlobType.CONFIG)) {
            assertEquals(List.of(), backend.list(type), type.toString());
        }
    }

    @Test
    void successfulWrites_leaveNothingInTmp() throws IOException {
        backend.put(randomName(BlobType.PACK), new byte[100]);
        backend.put(BlobName.CONFIG, new byte[100]);
        Path staged = Files.write(root().resolve("tmp").resolve("pack-x.tmp"), new byte[100]);
        backend.putFile(randomName(BlobType.PACK), staged);
        assertEquals(List.of(), tmpFiles());
    }

    /** A write that fails after its temporary file exists leaves neither the final name nor the temporary file. */
    @Test
    void failedPut_leavesNoFinalNameAndNoTempFile() throws IOException {
        BlobName name = randomName(BlobType.KEY);
        // A non-empty folder where the blob should go: the rename into place must fail.
        Path target = root().resolve(name.path());
        Files.createDirectories(target);
        Files.writeString(target.resolve("blocker"), "x");

        assertThrows(IOException.class, () -> backend.put(name, new byte[1000]));

        assertFalse(backend.exists(name));
        assertFalse(Files.isRegularFile(target));
        assertEquals(List.of(), backend.list(BlobType.KEY));
        assertEquals(List.of(), tmpFiles());
    }

    @Test
    void failedPut_inAMissingPackFolder_leavesNoTrace() throws IOException {
        BlobName name = randomName(BlobType.PACK);
        // The pack's two-digit folder is a file: the folder cannot be made, the rename cannot happen.
        Path folder = root().resolve("data").resolve(name.name().substring(0, 2));
        Files.delete(folder);
        Files.writeString(folder, "in the way");

        assertThrows(IOException.class, () -> backend.put(name, new byte[1000]));

        assertFalse(backend.exists(name));
        assertEquals(List.of(), backend.list(BlobType.PACK));
        assertEquals(List.of(), tmpFiles());
    }

    @Test
    void failedPut_keepsTheOldBlob() throws IOException {
        BlobName name = randomName(BlobType.SNAPSHOT);
        backend.put(name, new byte[] {7});
        Path tmp = root().resolve("tmp");
        // Without its tmp folder writable... simplest failure we can cause portably as root: tmp is a file.
        Files.delete(tmp);
        Files.writeString(tmp, "in the way");

        assertThrows(IOException.class, () -> backend.put(name, new byte[] {8, 8}));

        assertArrayEquals(new byte[] {7}, backend.get(name));
    }
}
