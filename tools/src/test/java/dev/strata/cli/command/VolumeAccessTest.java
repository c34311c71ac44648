package dev.strata.cli.command;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeAccessTest {
    private static final Map<String, String> HOME = Map.of("HOME", "/home/ana");

    @Test
    void commandOptions_areEmpty_whereTheDefaultsReachTheVolume() {
        assertThat(VolumeAccess.commandOptions(HOME, "/home/ana/.local/share/strata/repository",
                Path.of("/home/ana/.local/state/strata"))).isEmpty();
    }

    @Test
    void commandOptions_nameTheRepositoryAndStateFolder_whenTheyAreNotTheDefaults_evenFromTheEnvironment() {
        Map<String, String> env = Map.of("HOME", "/home/ana", "STRATA_REPO", "/srv/strata", "STRATA_STATE_DIR", "/var/lib/s");
        assertThat(VolumeAccess.commandOptions(env, "/srv/strata", Path.of("/var/lib/s")))
                .isEqualTo("--repo /srv/strata --state-dir /var/lib/s");
        assertThat(VolumeAccess.commandOptions(HOME, "/mnt/usb/my backups", Path.of("/home/ana/.local/state/strata")))
                .isEqualTo("--repo '/mnt/usb/my backups'");
        assertThat(VolumeAccess.commandOptions(HOME, "s3:https://s3.example.net/backups/ana",
                Path.of("/home/ana/.local/state/strata"))).isEqualTo("--repo s3:https://s3.example.net/backups/ana");
    }

    @Test
    void shellWords_quoteWhatAShellWouldSplitOrExpand() {
        assertThat(ShellWords.quote("/srv/strata-1/repo_2")).isEqualTo("/srv/strata-1/repo_2");
        assertThat(ShellWords.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellWords.quote("$HOME")).isEqualTo("'$HOME'");
        assertThat(ShellWords.quote("ana's")).isEqualTo("'ana'\\''s'");
        assertThat(ShellWords.quote("")).isEqualTo("''");
    }
}
