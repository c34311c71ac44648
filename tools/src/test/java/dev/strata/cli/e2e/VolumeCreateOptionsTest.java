package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import dev.strata.core.error.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code strata volume create} takes the retention plan of its versions, and {@code volume info} shows it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VolumeCreateOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void theRetentionPlanIsTheOneGiven_andOneThatDoesNotGrowIsRefused() throws IOException {
        CliRunner cli = E2e.smallRepository(tmp).env("STRATA_STATE_DIR", tmp.resolve("state").toString());
        ok(cli, "volume", "create", "docs", "--keep-every", "2h", "--keep-hourly", "3d", "--keep-daily", "60d");
        assertThat(ok(cli, "volume", "info", "docs").out())
                .contains("every version for 2 hours, then hourly for 3 days, daily for 60 days, weekly after");
        ok(cli, "volume", "create", "plain");
        assertThat(ok(cli, "volume", "info", "plain").out())
                .contains("every version for 1 hour, then hourly for 1 day, daily for 30 days, weekly after");

        CliRunner.Result shrinking = cli.run("volume", "create", "odd", "--keep-every", "2d", "--keep-hourly", "1d");
        assertThat(shrinking.code()).as("%s", shrinking).isEqualTo(ExitCode.USAGE.code());
        assertThat(shrinking.err()).contains("retention periods must grow").doesNotContain("Exception");
        CliRunner.Result unreadable = cli.run("volume", "create", "odd", "--keep-daily", "a month");
        assertThat(unreadable.code()).as("%s", unreadable).isEqualTo(ExitCode.USAGE.code());
        assertThat(unreadable.err()).contains("cannot read duration 'a month'");
    }
}
