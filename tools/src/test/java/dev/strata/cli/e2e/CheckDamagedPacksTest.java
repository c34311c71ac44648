package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import dev.strata.core.error.ExitCode;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} names every damaged or missing pack, and nothing else: without --read-data the packs
 * whose table, size or presence is wrong (header and table are read, entries are not); with it also
 * the packs holding damaged entries. Each damaged pack that costs the snapshots data is an error.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CheckDamagedPacksTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    PackDamage damage;
    List<PackTable> data;

    @BeforeEach
    void backUp() throws IOException {
        cli = E2e.smallRepository(tmp);
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        for (int i = 0; i < 80; i++) {
            byte[] content = i % 3 != 0 ? RandomData.bytes(i, 40_000 + i * 1_000) : RandomData.text(i, 60_000 + i * 2_000);
            Files.write(src.resolve("file-" + i), content);
        }
        ok(cli, "backup", src.toString());
        damage = new PackDamage(tmp);
        data = damage.tables().stream().filter(t -> t.type() == PackType.DATA && t.entries().size() >= 3).toList();
        assertThat(data.size()).as("data packs").isGreaterThanOrEqualTo(5);
    }

    @Test
    void plainCheck_namesDeletedCutAndTableDamagedPacks_andNoOthers() throws IOException {
        damage.delete(data.get(0));
        damage.cutIn(data.get(1), 1);
        damage.flipTable(data.get(2));
        Set<String> damaged = ids(data.get(0), data.get(1), data.get(2));

        CliRunner.Result check = cli.run("check");

        assertThat(check.code()).as("%s", check).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(PackDamage.packIdsIn(check.out())).as("%s", check).isEqualTo(damaged);
        assertThat(check.out()).as("%s", check).contains("error: pack " + data.get(0).id() + " is missing");
        assertThat(check.out()).as("%s", check).contains("error: pack " + data.get(1).id());
        assertThat(check.out()).as("the table's damage cost nothing: %s", check)
                .contains("note: pack " + data.get(2).id());
        assertThat(check.out()).contains("file-").contains("snapshot(s) refer to data that is lost");

        CliRunner.Result again = cli.run("check");
        assertThat(PackDamage.packIdsIn(again.out())).as("the next check says the same: %s", again).isEqualTo(damaged);
        assertThat(again.code()).isEqualTo(ExitCode.CORRUPT.code());
    }

    @Test
    void readData_namesExactlyTheDamagedPacks_whateverTheDamage() throws IOException {
        damage.flipEntry(data.get(0), data.get(0).entries().get(1));
        damage.flipTable(data.get(1));
        damage.cutIn(data.get(2), 2);
        damage.delete(data.get(3));
        Set<String> damaged = ids(data.get(0), data.get(1), data.get(2), data.get(3));

        CliRunner.Result check = cli.run("check", "--read-data");

        assertThat(check.code()).as("%s", check).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(PackDamage.packIdsIn(check.out())).as("%s", check).isEqualTo(damaged);
        assertThat(check.out()).as("%s", check).contains("pack " + data.get(0).id() + ": 1 of ");

        // What read-data found damaged is remembered: plain check names it too.
        CliRunner.Result plain = cli.run("check");
        assertThat(PackDamage.packIdsIn(plain.out())).as("%s", plain).isEqualTo(damaged);
    }

    @Test
    void whenTheRootFolderIsUnreadable_everyDamagedOrMissingPackIsStillAnError() throws IOException {
        PackTable treePack;
        dev.strata.core.pack.PackEntry root;
        try (var r = dev.strata.core.testing.TestRepositories.local(tmp).open(dev.strata.core.repo.LockMode.READ)) {
            var snapshot = new dev.strata.snapshot.Snapshots(r).list().get(0);
            var loc = r.index().lookup(snapshot.tree()).orElseThrow();
            root = loc.entry();
            treePack = damage.tables().stream().filter(t -> t.id().equals(loc.pack())).findFirst().orElseThrow();
        }
        damage.flipEntry(treePack, root);
        damage.delete(data.get(0));

        CliRunner.Result check = cli.run("check", "--read-data");

        assertThat(check.code()).as("%s", check).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(PackDamage.packIdsIn(check.out())).as("%s", check).isEqualTo(ids(treePack, data.get(0)));
        assertThat(check.out()).as("%s", check).contains("error: pack " + data.get(0).id() + " is missing")
                .contains("may use what was lost");
        assertThat(PackDamage.packIdsIn(cli.run("check").out())).as("said again").isEqualTo(ids(treePack, data.get(0)));
    }

    @Test
    void aDamagedPackNothingUses_isANote_andOnceGoneIsForgotten() throws IOException {
        damage.flipEntry(data.get(0), data.get(0).entries().get(0));
        assertThat(cli.run("check", "--read-data").code()).isEqualTo(ExitCode.CORRUPT.code());
        String snapshot = E2e.JSON.readTree(ok(cli, "snapshots", "--json").out()).get(0).get("id").asText();
        ok(cli, "forget", snapshot);

        CliRunner.Result unused = ok(cli, "check");
        assertThat(unused.out()).as("%s", unused).contains("note: pack " + data.get(0).id());

        damage.delete(data.get(0));
        ok(cli, "check");
        CliRunner.Result later = ok(cli, "check");
        assertThat(PackDamage.packIdsIn(later.out())).as("%s", later).isEmpty();
    }

    @Test
    void anIntactRepository_isClean() {
        CliRunner.Result check = ok(cli, "check", "--read-data");
        assertThat(PackDamage.packIdsIn(check.out())).isEmpty();
        assertThat(check.out()).contains("no errors were found");
    }

    private static Set<String> ids(PackTable... tables) {
        Set<String> out = new TreeSet<>();
        for (PackTable t : tables) {
            out.add(t.id().toString());
        }
        return out;
    }
}
