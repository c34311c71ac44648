package dev.strata.cli;

import dev.strata.cli.jobs.SystemdUnit;
import dev.strata.core.error.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * strata daemon install/uninstall into temporary unit folders. systemctl is never called here: with
 * --unit-dir it is skipped by design, and the --user case runs only where systemd does not run
 * (a container, CI), where install says how to enable the unit instead.
 */
class DaemonInstallTest {
    @TempDir
    Path tmp;
    Path config;
    CliRunner cli;

    @BeforeEach
    void setUp() throws Exception {
        config = tmp.resolve("my config.toml");
        Files.writeString(config, """
                [repositories.main]
                path = "/backup/strata"
                [jobs.docs]
                paths = ["/home/ana/Documents"]
                schedule = "every 1h"
                """);
        cli = new CliRunner(tmp.resolve("repo"), tmp.resolve("cache")).env("PATH", tmp.resolve("bin").toString());
    }

    @Test
    void install_writesAUnitThatRunsTheDaemonWithThisFile_uninstallRemovesIt() throws Exception {
        Path units = tmp.resolve("units");
        CliRunner.Result r = cli.run("daemon", "install", "--user", "--unit-dir", units.toString(), "--config", config.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        Path unit = units.resolve("strata.service");
        assertThat(r.out()).isEqualTo("wrote " + unit + "\nenable it with: systemctl --user daemon-reload && "
                + "systemctl --user enable --now strata.service\n");
        String text = Files.readString(unit);
        assertThat(text).contains("[Service]\nType=simple\nExecStart=")
                .contains(" dev.strata.cli.Main daemon --config \"" + config + "\"\n")
                .contains("Restart=on-failure").contains("WantedBy=default.target")
                .contains("\nExecReload=/bin/kill -HUP $MAINPID\n");
        assertThat(text.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow())
                .as("the unit runs this JVM, with the options lmdbjava needs").contains("--add-opens")
                .as("with a backup's heap last, so it wins over a mount's").contains(" -Xms64m -Xmx1g -cp ");

        CliRunner.Result u = cli.run("daemon", "uninstall", "--user", "--unit-dir", units.toString());
        assertThat(u.code()).as(u.toString()).isZero();
        assertThat(u.out()).isEqualTo("removed " + unit + "\n");
        assertThat(unit).doesNotExist();
        CliRunner.Result again = cli.run("daemon", "uninstall", "--user", "--unit-dir", units.toString());
        assertThat(again.code()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(again.err()).isEqualTo("strata: no unit to remove: " + unit + " does not exist\n");
    }

    @Test
    void install_prefersTheStrataCommandOnThePath() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path strata = Files.writeString(bin.resolve("strata"), "#!/bin/sh\n");
        strata.toFile().setExecutable(true);
        Path units = tmp.resolve("units");
        assertThat(cli.run("daemon", "install", "--unit-dir", units.toString(), "--config", config.toString()).code()).isZero();
        assertThat(Files.readString(units.resolve("strata.service")))
                .contains("\nExecStart=" + strata + " daemon --config \"" + config + "\"\n")
                .contains("WantedBy=multi-user.target");
    }

    @Test
    void install_brokenConfig_writesNothing() throws Exception {
        Files.writeString(config, "[jobs.docs]\nschedule = \"sometimes\"\n");
        Path units = tmp.resolve("units");
        CliRunner.Result r = cli.run("daemon", "install", "--user", "--unit-dir", units.toString(), "--config", config.toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).startsWith("strata: " + config + ":1: ");
        assertThat(units).doesNotExist();
    }

    @Test
    void install_user_withoutSystemd_writesIntoTheUsersUnitFolder_andSaysHowToEnable() throws Exception {
        assumeFalse(SystemdUnit.systemdRunning(), "systemd runs here: enabling a unit is not for a test");
        CliRunner.Result r = cli.run("daemon", "install", "--user", "--config", config.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        Path unit = tmp.resolve("cache/home/.config/systemd/user/strata.service");
        assertThat(unit).exists();
        assertThat(r.out()).isEqualTo("wrote " + unit + "\nsystemd does not run here, so the unit was not enabled; where it does: "
                + "systemctl --user daemon-reload && systemctl --user enable --now strata.service\n");
        assertThat(cli.run("daemon", "uninstall", "--user").out()).isEqualTo("removed " + unit + "\n");
    }
}
