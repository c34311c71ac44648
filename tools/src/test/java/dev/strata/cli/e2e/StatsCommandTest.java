package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.error.ExitCode;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code strata stats [SNAPSHOT]}: raw, deduplicated and stored size with their ratios. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatsCommandTest {
    private static final int SIZE = 300_000;

    @TempDir
    Path tmp;

    @Test
    void twoCopiesTwice_dedupTwicePerSnapshot_fourTimesOverall() throws IOException {
        CliRunner cli = E2e.smallRepository(tmp);
        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] data = RandomData.bytes(7, SIZE); // random, so compression changes little
        Files.write(src.resolve("a.bin"), data);
        Files.write(src.resolve("copy.bin"), data);
        ok(cli, "backup", src.toString());
        ok(cli, "backup", src.toString(), "--force");

        JsonNode one = lastJson(ok(cli, "stats", "latest", "--json"));
        assertThat(one.get("rawSize").asLong()).isEqualTo(2L * SIZE);
        assertThat(one.get("deduplicatedSize").asLong()).isEqualTo(SIZE);
        assertThat(one.get("dedupRatio").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(one.get("storedSize").asLong()).isGreaterThan(SIZE);
        assertThat(one.get("compressionRatio").asDouble()).isCloseTo(1.0, within(0.01));

        JsonNode all = lastJson(ok(cli, "stats", "--json"));
        assertThat(all.get("snapshots").asInt()).isEqualTo(2);
        assertThat(all.get("rawSize").asLong()).isEqualTo(4L * SIZE);
        assertThat(all.get("dedupRatio").asDouble()).isCloseTo(4.0, within(1e-9));

        String human = ok(cli, "stats", "latest").out();
        assertThat(human).contains("raw size     586 KiB in 2 files")
                .contains("deduplicated 293 KiB").contains("(deduplication 2.00×)").contains("compression ");
    }

    @Test
    void aDeletedDataPack_itsChunksCountAsMissing_theRestAsBefore() throws IOException {
        CliRunner cli = E2e.smallRepository(tmp);
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int i = 0; i < 40; i++) {
            Files.write(src.resolve("file-" + i), RandomData.bytes(i, 40_000 + i * 1_000));
        }
        ok(cli, "backup", src.toString());
        JsonNode before = lastJson(ok(cli, "stats", "--json"));
        assertThat(before.get("missingChunks").asLong()).isZero();
        PackDamage damage = new PackDamage(tmp);
        PackTable gone = damage.tables().stream().filter(t -> t.type() == PackType.DATA).findFirst().orElseThrow();
        damage.delete(gone);

        JsonNode after = lastJson(ok(cli, "stats", "--json"));
        assertThat(after.get("missingChunks").asLong()).isEqualTo(gone.entries().size());
        assertThat(after.get("dataChunks").asLong()).isEqualTo(before.get("dataChunks").asLong() - gone.entries().size());
        assertThat(after.get("deduplicatedSize").asLong()).isLessThan(before.get("deduplicatedSize").asLong());
        assertThat(ok(cli, "stats").out()).contains("missing      " + gone.entries().size() + " data chunks are in no pack");
    }

    @Test
    void unknownSnapshot_isNotFound() throws IOException {
        CliRunner cli = E2e.smallRepository(tmp);
        CliRunner.Result r = cli.run("stats", "abcd1234");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(r.err().strip()).isEqualTo("strata: no snapshot with id abcd1234");
    }
}
