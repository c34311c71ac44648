package dev.strata.core.repo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.NotARepositoryException;
import dev.strata.core.error.UnsupportedFormatException;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.error.WrongPasswordException;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.testing.FolderSnapshot;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositoryTest {
    private static final String WRONG = "not the password";

    @TempDir
    Path dir;

    private Path repoDir() {
        return dir.resolve("repo");
    }

    private Path cacheDir() {
        return dir.resolve("cache");
    }

    /** Snapshots of the repository and cache folders, to compare before and after a refused call. */
    private List<FolderSnapshot> snapshot() throws IOException {
        return List.of(FolderSnapshot.of(repoDir()), FolderSnapshot.of(cacheDir()));
    }

    private Repository open(Path repo, String password) throws IOException {
        return Repository.open(new LocalBackend(repo), password.toCharArray(),
                OpenOptions.of(cacheDir(), LockMode.WRITE).withKdf(TestRepositories.CHEAP_KDF),
                Clock.systemUTC(), HostIdentity.current());
    }

    @Test
    void init_thenOpen_givesTheSameConfig() throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        RepositoryConfig created = fixture.config();
        try (Repository repo = fixture.open()) {
            RepositoryConfig c = repo.config();
            assertArrayEquals(created.id(), c.id());
            assertEquals(created.created(), c.created());
            assertEquals(TestRepositories.SMALL_CHUNKS, c.chunker());
            assertEquals(TestRepositories.SMALL_DATA_PACK, c.dataPackSize());
            assertEquals(TestRepositories.SMALL_TREE_PACK, c.treePackSize());
            assertEquals(created.compressionLevel(), c.compressionLevel());
            assertEquals(repoDir().toString(), repo.location());
            assertTrue(Files.isDirectory(fixture.indexFolder()));
        }
        assertTrue(Files.isRegularFile(repoDir().resolve("config")));
        assertEquals(1, fixture.backend().list(BlobType.KEY).size());
    }

    @Test
    void wrongPassword_isRefused_andWritesNothing() throws IOException {
        var fixture = TestRepositories.local(dir).init();
        fixture.open().close();
        List<FolderSnapshot> before = snapshot();

        WrongPasswordException e = assertThrows(WrongPasswordException.class, () -> open(repoDir(), WRONG));

        assertEquals(ExitCode.WRONG_PASSWORD, e.exitCode());
        assertEquals(before, snapshot());
    }

    @Test
    void wrongPassword_onARepositoryNeverOpened_createsNoCache() throws IOException {
        TestRepositories.local(dir).init();
        List<FolderSnapshot> before = snapshot();
        assertFalse(before.get(1).exists());

        assertThrows(WrongPasswordException.class, () -> open(repoDir(), WRONG));

        assertEquals(before, snapshot());
    }

    @Test
    void emptyFolder_isNotARepository_andStaysEmpty() throws IOException {
        Files.createDirectories(repoDir());
        List<FolderSnapshot> before = snapshot();

        NotARepositoryException e = assertThrows(NotARepositoryException.class, () -> open(repoDir(), WRONG));

        assertEquals(ExitCode.NOT_A_REPOSITORY, e.exitCode());
        assertEquals(before, snapshot());
    }

    @Test
    void folderOfOtherFiles_isNotARepository_andIsLeftAlone() throws IOException {
        Files.createDirectories(repoDir().resolve("keys"));
        Files.writeString(repoDir().resolve("keys/notes.txt"), "hi");
        Files.writeString(repoDir().resolve("config"), "{\"version\": 2, \"id\": \"restic\"}");
        List<FolderSnapshot> before = snapshot();

        assertThrows(NotARepositoryException.class, () -> open(repoDir(), TestRepositories.PASSWORD));
        Files.writeString(repoDir().resolve("config"), "[core]\n\trepositoryformatversion = 0\n");
        before = snapshot();
        assertThrows(NotARepositoryException.class, () -> open(repoDir(), TestRepositories.PASSWORD));

        assertEquals(before, snapshot());
    }

    @Test
    void missingFolder_isNotARepository_andIsNotCreated() throws IOException {
        Path missing = dir.resolve("no/such/repo");

        NotARepositoryException e = assertThrows(NotARepositoryException.class, () -> open(missing, WRONG));

        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("no")));
        assertFalse(Files.exists(cacheDir()));
    }

    @Test
    void newerFormatVersion_isRefusedBeforeAnyPasswordIsTried() throws IOException {
        TestRepositories.local(dir).init();
        Path config = repoDir().resolve("config");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Files.readAllBytes(config));
        root.put("version", 2);
        Files.write(config, json.writeValueAsBytes(root));
        List<FolderSnapshot> before = snapshot();
        FaultInjectingBackend counting = new FaultInjectingBackend(new LocalBackend(repoDir()));

        UnsupportedFormatException wrong = assertThrows(UnsupportedFormatException.class, () ->
                Repository.open(counting, WRONG.toCharArray(), OpenOptions.of(cacheDir(), LockMode.WRITE),
                        Clock.systemUTC(), HostIdentity.current()));
        UnsupportedFormatException right = assertThrows(UnsupportedFormatException.class, () ->
                open(repoDir(), TestRepositories.PASSWORD));

        assertEquals(ExitCode.UNSUPPORTED_FORMAT, wrong.exitCode());
        assertTrue(wrong.getMessage().contains("version 2"), wrong.getMessage());
        assertEquals(ExitCode.UNSUPPORTED_FORMAT, right.exitCode());
        assertEquals(0, counting.calls(Operation.LIST), "no key file was even listed");
        assertEquals(0, counting.calls(Operation.PUT));
        assertEquals(before, snapshot());
    }

    @Test
    void init_intoAFolderThatIsNotEmpty_isRefused() throws IOException {
        Files.createDirectories(repoDir());
        Files.writeString(repoDir().resolve("thesis.tex"), "\\documentclass{article}");
        List<FolderSnapshot> before = snapshot();

        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRepositories.local(dir).init());

        assertEquals(ExitCode.ALREADY_EXISTS, e.exitCode());
        assertEquals(before, snapshot());
    }

    @Test
    void init_twice_isRefused_andTheFirstRepositoryIsUntouched() throws IOException {
        var first = TestRepositories.local(dir).init();
        List<FolderSnapshot> before = snapshot();

        UserFacingException e = assertThrows(UserFacingException.class,
                () -> TestRepositories.local(dir).password("another").init());

        assertEquals(ExitCode.ALREADY_EXISTS, e.exitCode());
        assertEquals(before, snapshot());
        try (Repository repo = first.open()) {
            assertArrayEquals(first.config().id(), repo.config().id());
        }
    }

    @Test
    void emptyPassword_isRefused() throws IOException {
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRepositories.local(dir).password("").init());
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertFalse(Files.exists(repoDir()));
    }

    @Test
    void keys_aSecondPasswordOpensToo_andListShowsWhichIsCurrent() throws IOException {
        var fixture = TestRepositories.local(dir).init();
        String firstId;
        String secondId;
        try (Repository repo = fixture.open()) {
            firstId = repo.keys().currentId();
            secondId = repo.keys().add("second password".toCharArray());
            List<KeyInfo> keys = repo.keys().list();
            assertEquals(2, keys.size());
            assertEquals(List.of(firstId), currentIds(keys));
        }
        try (Repository repo = fixture.open("second password", LockMode.WRITE)) {
            assertEquals(secondId, repo.keys().currentId());
            assertEquals(List.of(secondId), currentIds(repo.keys().list()));
            KeyInfo second = repo.keys().list().stream().filter(k -> k.id().equals(secondId)).findFirst().orElseThrow();
            assertEquals(HostIdentity.current().host(), second.host());
        }
        fixture.open().close();
    }

    private static List<String> currentIds(List<KeyInfo> keys) {
        return keys.stream().filter(KeyInfo::current).map(KeyInfo::id).toList();
    }

    @Test
    void keys_removeTheOtherPassword_revokesIt() throws IOException {
        var fixture = TestRepositories.local(dir).init();
        try (Repository repo = fixture.open()) {
            String other = repo.keys().add("second password".toCharArray());
            repo.keys().remove(other.substring(0, 6));
            assertEquals(1, repo.keys().list().size());
        }
        assertThrows(WrongPasswordException.class, () -> fixture.open("second password", LockMode.WRITE));
        fixture.open().close();
    }

    @Test
    void keys_removingTheCurrentPassword_isRefused() throws IOException {
        var fixture = TestRepositories.local(dir).init();
        try (Repository repo = fixture.open()) {
            repo.keys().add("second password".toCharArray());
            String current = repo.keys().currentId();

            UserFacingException e = assertThrows(UserFacingException.class, () -> repo.keys().remove(current));

            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertEquals(2, repo.keys().list().size());
            assertThrows(UserFacingException.class, () -> repo.keys().remove("ffff" + "0".repeat(28)));
        }
        fixture.open().close();
    }

    @Test
    void keys_changePassword_replacesTheOldOne() throws IOException {
        var fixture = TestRepositories.local(dir).init();
        try (Repository repo = fixture.open()) {
            String newId = repo.keys().changePassword("new password".toCharArray());

            List<KeyInfo> keys = repo.keys().list();
            assertEquals(1, keys.size());
            assertEquals(List.of(newId), currentIds(keys), "the new key is the one in use now");
            assertThrows(UserFacingException.class, () -> repo.keys().remove(newId),
                    "removing the only key, in use, would lock everyone out");
            assertEquals(1, repo.keys().list().size());
        }
        assertThrows(WrongPasswordException.class, () -> fixture.open());
        try (Repository repo = fixture.open("new password", LockMode.WRITE)) {
            assertEquals(1, repo.keys().list().size());
        }
    }

    @Test
    void keyFiles_areNamedByTheirId() throws IOException {
        var fixture = TestRepositories.local(dir).init();
        try (Repository repo = fixture.open()) {
            String id = repo.keys().currentId();
            assertTrue(repo.backend().exists(BlobName.of(BlobType.KEY, id)));
            assertTrue(Arrays.stream(repoDir().resolve("keys").toFile().list()).anyMatch(id::equals));
        }
    }
    @Test
    void failureWhileOpening_releasesTheLock() throws IOException {
        TestRepositories.local(dir).init();
        FaultInjectingBackend backend = new FaultInjectingBackend(new LocalBackend(repoDir()));
        var fixture = TestRepositories.on(backend, cacheDir());
        // Opening lists key files, then locks, then packs (to bring the index in line): fail the packs.
        backend.failCall(Operation.LIST, 3);

        assertThrows(FaultInjectingBackend.InjectedFault.class, () -> fixture.open(LockMode.EXCLUSIVE));

        assertEquals(List.of(), backend.list(BlobType.LOCK));
        fixture.open(LockMode.EXCLUSIVE).close();
    }
    // ---- damaged, truncated and hostile key files ----

    /** The only key file, edited to ask for 4 GiB × 1000 Argon2 passes (hours per attempt before limits). */
    @Test
    void hostileKeyFile_isRefusedAtOnce_asDamagedData_namingIt() throws Exception {
        var fixture = TestRepositories.local(dir).init();
        String id = onlyKeyId();
        editKeyFile(id, root -> ((ObjectNode) root.get("kdf")).put("memoryKiB", 4L << 20).put("iterations", 1000));

        CorruptDataException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(CorruptDataException.class, () -> fixture.open()));

        assertTrue(e.getMessage().contains("key file " + id + " is damaged or hostile, so it was not tried"), e.getMessage());
    }

    @Test
    void truncatedKeyFile_isDamagedData_notAWrongPassword() throws IOException {
        var fixture = TestRepositories.local(dir).init();
        String id = onlyKeyId();
        Path file = repoDir().resolve("keys").resolve(id);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));

        CorruptDataException e = assertThrows(CorruptDataException.class, () -> fixture.open());

        assertTrue(e.getMessage().contains("key file " + id), e.getMessage());
        assertTrue(e.getMessage().contains("no usable key file"), e.getMessage());
    }

    /** Another password still opens; a wrong one names the key file that could not be tried. */
    @Test
    void hostileSecondKeyFile_doesNotStopTheGoodOne() throws IOException {
        var fixture = TestRepositories.local(dir).init();
        String good = onlyKeyId();
        String bad;
        try (Repository repo = fixture.open()) {
            bad = repo.keys().add("second password".toCharArray());
        }
        editKeyFile(bad, root -> ((ObjectNode) root.get("kdf")).put("parallelism", 1000));

        try (Repository repo = fixture.open()) {
            assertEquals(good, repo.keys().currentId());
            KeyInfo listed = repo.keys().list().stream().filter(k -> k.id().equals(bad)).findFirst().orElseThrow();
            assertTrue(listed.damage().contains("parallelism"), listed.damage());
            repo.keys().remove(bad);
        }
        editKeyFile(good, root -> root.put("created", "garbage"));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> open(repoDir(), WRONG));
        assertTrue(e.getMessage().contains("key file " + good + " is damaged"), e.getMessage());
    }

    private String onlyKeyId() throws IOException {
        String[] names = repoDir().resolve("keys").toFile().list();
        assertEquals(1, names.length);
        return names[0];
    }

    private void editKeyFile(String id, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path file = repoDir().resolve("keys").resolve(id);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        edit.accept(root);
        json.writeValue(file.toFile(), root);
    }
}
