package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.core.error.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** init, wrong password, key add/list/remove/passwd, stats, unlock — through the CLI, in process. */
class RepositoryCommandsTest {
    @TempDir
    Path tmp;
    Path repo;
    Path cache;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        repo = tmp.resolve("repo");
        cache = tmp.resolve("cache");
        cli = new CliRunner(repo, cache).password("correct horse");
    }

    @Test
    void init_thenStats_showsEmptyRepository() {
        CliRunner.Result init = cli.run("init");
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(init.out()).contains("created repository");
        CliRunner.Result stats = cli.run("stats");
        assertThat(stats.code()).as(stats.toString()).isZero();
        assertThat(stats.out()).contains("chunks       0").contains("packs        0");
    }

    @Test
    void init_twice_isRefused() {
        assertThat(cli.run("init").code()).isZero();
        CliRunner.Result again = cli.run("init");
        assertThat(again.code()).isEqualTo(ExitCode.ALREADY_EXISTS.code());
        assertThat(again.err()).contains("already holds a Strata repository");
    }

    @Test
    void wrongPassword_givesItsExitCode_oneLine_andWritesNothing() throws IOException {
        assertThat(cli.run("init").code()).isZero();
        Map<String, Long> before = snapshot(tmp);
        CliRunner.Result r = cli.password("wrong").run("stats");
        assertThat(r.code()).isEqualTo(ExitCode.WRONG_PASSWORD.code());
        assertThat(r.err().strip()).isEqualTo("strata: wrong password for repository " + repo);
        assertThat(r.out()).isEmpty();
        assertThat(snapshot(tmp)).isEqualTo(before);
    }

    /** A key file edited to cost hours, or cut short: its own message and exit code, not "wrong password". */
    @Test
    void hostileOrTruncatedKeyFile_isDamagedData_exit14_oneLine_andWritesNothing() throws IOException {
        assertThat(cli.run("init").code()).isZero();
        Path keyFile;
        try (Stream<Path> keys = Files.list(repo.resolve("keys"))) {
            keyFile = keys.findFirst().orElseThrow();
        }
        String id = keyFile.getFileName().toString();
        String original = Files.readString(keyFile);
        Files.writeString(keyFile, original.replaceFirst("\"memoryKiB\" : \\d+", "\"memoryKiB\" : 4194304")
                .replaceFirst("\"iterations\" : \\d+", "\"iterations\" : 1000"));
        Map<String, Long> before = snapshot(tmp);

        long start = System.nanoTime();
        CliRunner.Result hostile = cli.run("snapshots");

        assertThat(System.nanoTime() - start).as("refused without running Argon2").isLessThan(10_000_000_000L);
        assertThat(hostile.code()).as(hostile.toString()).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(hostile.err()).startsWith("strata: damaged repository: no usable key file in repository " + repo)
                .contains("key file " + id + " is damaged or hostile, so it was not tried: Argon2 memory must be")
                .doesNotContain("wrong password").doesNotContain("\tat ");
        assertThat(hostile.err().strip().lines()).hasSize(1);
        assertThat(snapshot(tmp)).isEqualTo(before);

        Files.writeString(keyFile, original.substring(0, original.length() / 2));
        CliRunner.Result truncated = cli.run("snapshots");
        assertThat(truncated.code()).as(truncated.toString()).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(truncated.err()).contains("key file " + id + " is not valid JSON (truncated or damaged)");
        assertThat(truncated.err().strip().lines()).hasSize(1);
    }

    @Test
    void keyList_showsADamagedKeyFile_soItCanBeRemoved() throws IOException {
        assertThat(cli.run("init").code()).isZero();
        Path second = Files.writeString(tmp.resolve("second.txt"), "second\n");
        assertThat(cli.run("key", "add", "--new-password-file", second.toString()).code()).isZero();
        String current = cli.run("key", "list").out().lines().filter(l -> l.startsWith("* ")).findFirst().orElseThrow()
                .substring(2, 34);
        Path damaged;
        try (Stream<Path> keys = Files.list(repo.resolve("keys"))) {
            damaged = keys.filter(k -> !k.getFileName().toString().equals(current)).findFirst().orElseThrow();
        }
        Files.writeString(damaged, "{\"format\": \"strata-key\", \"version\": 1, \"kdf\": ");
        String id = damaged.getFileName().toString();

        CliRunner.Result list = cli.password("correct horse").run("key", "list");

        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).contains("! " + id + "  unusable: key file " + id + " is not valid JSON");
        assertThat(cli.run("key", "remove", id).code()).isZero();
        assertThat(cli.run("key", "list").out()).doesNotContain(id);
    }

    @Test
    void notARepository_givesItsExitCode_andWritesNothing() throws IOException {
        Files.createDirectories(repo);
        Files.writeString(repo.resolve("notes.txt"), "hello");
        Map<String, Long> before = snapshot(tmp);
        CliRunner.Result r = cli.run("stats");
        assertThat(r.code()).isEqualTo(ExitCode.NOT_A_REPOSITORY.code());
        assertThat(r.err()).contains("is not a Strata repository").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(snapshot(tmp)).isEqualTo(before);
    }

    @Test
    void missingFolder_isNotCreated() {
        CliRunner.Result r = cli.run("stats");
        assertThat(r.code()).isEqualTo(ExitCode.NOT_A_REPOSITORY.code());
        assertThat(r.err()).contains("does not exist");
        assertThat(repo).doesNotExist();
        assertThat(cache).doesNotExist();
    }

    @Test
    void newerFormatVersion_isRefusedBeforeAnyPassword() throws IOException {
        assertThat(cli.run("init").code()).isZero();
        Path config = repo.resolve("config");
        Files.writeString(config, Files.readString(config).replace("\"version\" : 1", "\"version\" : 2"));
        Map<String, Long> before = snapshot(tmp);
        CliRunner.Result r = cli.password(null).run("stats");
        assertThat(r.code()).isEqualTo(ExitCode.UNSUPPORTED_FORMAT.code());
        assertThat(r.err()).contains("format version 2").contains("reads version 1");
        assertThat(snapshot(tmp)).isEqualTo(before);
    }

    @Test
    void noPasswordAndNoTerminal_isAClearError() {
        assertThat(cli.run("init").code()).isZero();
        CliRunner.Result r = cli.password(null).run("stats");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("no password given");
    }

    @Test
    void passwordFromFile_andPrompt() throws IOException {
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "from a file\n");
        assertThat(cli.password(null).run("init", "--password-file", pw.toString()).code()).isZero();
        assertThat(cli.run("stats", "--password-file", pw.toString()).code()).isZero();
        CliRunner.Result prompted = cli.typing("from a file").run("stats");
        assertThat(prompted.code()).as(prompted.toString()).isZero();
    }

    @Test
    void initOnTerminal_asksTwice_andRefusesMismatch() {
        CliRunner.Result r = cli.password(null).typing("one", "two").run("init");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("differ");
        assertThat(repo).doesNotExist();
    }

    @Test
    void secondPassword_withKeyAdd_opensTheSameRepository() throws IOException {
        assertThat(cli.run("init").code()).isZero();
        Path second = tmp.resolve("second");
        Files.writeString(second, "battery staple\n");
        CliRunner.Result add = cli.run("key", "add", "--new-password-file", second.toString());
        assertThat(add.code()).as(add.toString()).isZero();
        String newId = add.out().strip().replace("added key ", "");

        CliRunner.Result list = cli.password("battery staple").run("key", "list", "--json");
        assertThat(list.code()).as(list.toString()).isZero();
        JsonNode keys = new ObjectMapper().readTree(list.out());
        assertThat(keys).hasSize(2);
        for (JsonNode k : keys) {
            assertThat(k.get("current").asBoolean()).isEqualTo(k.get("id").asText().equals(newId));
        }

        assertThat(cli.password("correct horse").run("stats").code()).isZero();
        CliRunner.Result removeCurrent = cli.password("battery staple").run("key", "remove", newId.substring(0, 8));
        assertThat(removeCurrent.code()).isNotZero();
        assertThat(removeCurrent.err()).contains("in use");

        assertThat(cli.password("correct horse").run("key", "remove", newId).code()).isZero();
        assertThat(cli.password("battery staple").run("stats").code()).isEqualTo(ExitCode.WRONG_PASSWORD.code());
    }

    @Test
    void keyPasswd_replacesThePasswordInUse() throws IOException {
        assertThat(cli.run("init").code()).isZero();
        Path next = tmp.resolve("next");
        Files.writeString(next, "new one\n");
        assertThat(cli.run("key", "passwd", "--new-password-file", next.toString()).code()).isZero();
        assertThat(cli.run("stats").code()).isEqualTo(ExitCode.WRONG_PASSWORD.code());
        assertThat(cli.password("new one").run("stats").code()).isZero();
    }

    @Test
    void statsJson_isOneObject() throws IOException {
        assertThat(cli.run("init").code()).isZero();
        CliRunner.Result r = cli.run("stats", "--json");
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("chunks").asLong()).isZero();
        assertThat(n.get("id").asText()).hasSize(32);
    }

    @Test
    void unknownOption_isAUsageError() {
        CliRunner.Result r = cli.run("stats", "--no-such-option");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("Unknown option");
    }

    /** Every file under {@code root} with its size and modification time. */
    static Map<String, Long> snapshot(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                out.put(root.relativize(p) + (Files.isDirectory(p) ? "/" : ""),
                        Files.isDirectory(p) ? 0L : Files.size(p) * 1_000_000_000L + Files.getLastModifiedTime(p).toMillis() % 1_000_000_000L);
            }
        }
        return out;
    }
}
