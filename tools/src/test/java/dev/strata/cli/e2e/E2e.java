package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.cli.CliRunner;
import dev.strata.core.testing.TestRepositories;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared steps of the end-to-end tests: a small-pack repository driven through the CLI. Stateless. */
final class E2e {
    static final ObjectMapper JSON = new ObjectMapper();

    private E2e() {
    }

    /**
     * Creates a repository in {@code dir}/repo (cache in {@code dir}/cache) with small chunks and 1 MiB
     * packs, so a few MiB of data spread over many packs, and returns a CLI runner for it.
     */
    static CliRunner smallRepository(Path dir) throws IOException {
        TestRepositories.local(dir).small().init();
        return new CliRunner(dir.resolve("repo"), dir.resolve("cache")).password(TestRepositories.PASSWORD);
    }

    /** Runs a command that must succeed (exit 0) and returns what it printed. */
    static CliRunner.Result ok(CliRunner cli, String... args) {
        CliRunner.Result r = cli.run(args);
        assertThat(r.code()).as("strata %s\n%s", String.join(" ", args), r).isZero();
        return r;
    }

    /** The last line of {@code out} parsed as JSON (commands with --json print one summary object last). */
    static JsonNode lastJson(CliRunner.Result r) {
        String[] lines = r.out().strip().split("\n");
        try {
            return JSON.readTree(lines[lines.length - 1]);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + r, e);
        }
    }

    /** Where a whole-snapshot restore into {@code target} puts the saved absolute path {@code source}. */
    static Path restoredAt(Path target, Path source) {
        return target.resolve(source.toAbsolutePath().toString().substring(1));
    }
}
