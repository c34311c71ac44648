package dev.strata.cli.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final Path FILE = Path.of("/etc/strata/config.toml");

    private static List<String> problems(String text) {
        try {
            ConfigLoader.parse(FILE, text);
        } catch (ConfigException e) {
            return e.lines();
        }
        throw new AssertionError("no problem found in:\n" + text);
    }

    @Test
    void parse_theReadmeExample_readsEveryField() throws Exception {
        JobsConfig c = ConfigLoader.parse(FILE, """
                [repositories.main]
                path = "/backup/strata"              # or an s3: URL
                password-file = "/etc/strata/password"
                prune = "weekly sun 04:00"
                check = "weekly sun 05:00"
                check-read-data = "5%"

                [repositories.offsite]
                path = "s3:https://s3.example.com/bucket/strata"
                password-command = "pass show strata"

                [jobs.docs]
                repository = "main"
                paths = ["/home/ana/Documents"]
                exclude = ["**/node_modules"]
                schedule = "every 1h"
                keep-daily = 7
                keep-weekly = 5
                max-age = "2d"

                [jobs.db]
                repository = "offsite"
                stdin-command = "pg_dump shop"
                stdin-filename = "shop.sql"
                before = "systemctl stop shop-worker"
                after = "systemctl start shop-worker"
                tags = ["db"]
                one-file-system = true
                schedule = "daily 02:30"
                keep-last = 3
                keep-within = "7d"

                [mounts.backups]
                repository = "main"
                path = "/mnt/backups"
                """);
        RepositoryConfig main = c.repositories().get("main");
        assertThat(main.location()).isEqualTo("/backup/strata");
        assertThat(main.passwordFile()).isEqualTo(Path.of("/etc/strata/password"));
        assertThat(main.prune().text()).isEqualTo("weekly sun 04:00");
        assertThat(main.check().text()).isEqualTo("weekly sun 05:00");
        assertThat(main.checkReadData()).isEqualTo("5%");
        assertThat(c.repositories().get("offsite").passwordCommand()).isEqualTo("pass show strata");
        assertThat(c.jobs().keySet()).containsExactly("docs", "db");
        JobConfig docs = c.jobs().get("docs");
        assertThat(docs.paths()).containsExactly("/home/ana/Documents");
        assertThat(docs.exclude()).containsExactly("**/node_modules");
        assertThat(docs.schedule().text()).isEqualTo("every 1h");
        assertThat(docs.retention().options()).containsExactly("--keep-daily", "7", "--keep-weekly", "5");
        assertThat(docs.maxAge()).isEqualTo(Duration.ofDays(2));
        assertThat(docs.stdinCommand()).isNull();
        JobConfig db = c.jobs().get("db");
        assertThat(db.stdinCommand()).isEqualTo("pg_dump shop");
        assertThat(db.stdinFilename()).isEqualTo("shop.sql");
        assertThat(db.before()).isEqualTo("systemctl stop shop-worker");
        assertThat(db.after()).isEqualTo("systemctl start shop-worker");
        assertThat(db.oneFileSystem()).isTrue();
        assertThat(db.retention().options()).containsExactly("--keep-last", "3", "--keep-within", "7d");
        assertThat(c.mounts().get("backups").mountpoint()).isEqualTo(Path.of("/mnt/backups"));
    }

    @Test
    void parse_theReadmesConfigFile_isValid() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```toml\n[repositories.main]");
        assertThat(start).as("the README shows a configuration file").isNotNegative();
        String toml = readme.substring(start + "```toml\n".length(), readme.indexOf("```", start + 7));
        JobsConfig c = ConfigLoader.parse(FILE, toml);
        assertThat(c.jobs()).hasSize(2);
        assertThat(c.mounts()).hasSize(1);
    }

    @Test
    void parse_oneRepository_needNotBeNamed() throws Exception {
        JobsConfig c = ConfigLoader.parse(FILE, """
                [repositories.only]
                path = "/r"
                [jobs.a]
                paths = ["/a"]
                """);
        assertThat(c.jobs().get("a").repository()).isEqualTo("only");
        assertThat(c.jobs().get("a").schedule()).isNull();
        assertThat(c.jobs().get("a").retention().any()).isFalse();
    }

    @Test
    void parse_brokenToml_namesTheLine() {
        assertThat(problems("""
                [repositories.main]
                path = "/backup/strata"

                [jobs.docs
                repository = "main"
                """)).singleElement().asString()
                .startsWith("/etc/strata/config.toml:4: not valid TOML: ");
    }

    @Test
    void parse_manyMistakes_listsEachWithItsLine() {
        assertThat(problems("""
                [repositories.main]
                path = "backup/strata"
                password-file = "/etc/strata/password"
                password-command = "pass show strata"
                check-read-data = "five percent"

                [jobs.docs]
                repository = "mian"
                paths = ["/home/ana/Documents"]
                schedule = "every hour"
                keep-daily = 0
                keep-weekly = "5"
                exclude = "**/node_modules"
                schedul = "daily 02:30"

                [jobs.db]
                repository = "main"
                paths = ["/srv/db"]
                stdin-command = "pg_dump shop"
                one-file-system = "yes"
                max-age = "two days"

                [jobs.empty]
                repository = "main"

                [notes]
                text = "hello"
                """)).containsExactly(
                "/etc/strata/config.toml:2: repositories.main.path: 'backup/strata' must be an absolute folder or an s3: URL",
                "/etc/strata/config.toml:4: repositories.main: give password-file or password-command, not both",
                "/etc/strata/config.toml:5: repositories.main.check-read-data: 'five percent' must be a percentage (5%) or a part (1/7)",
                "/etc/strata/config.toml:8: jobs.docs.repository: no repository named 'mian' (defined: main)",
                "/etc/strata/config.toml:10: jobs.docs.schedule: 'every hour': the interval must look like 30m, 1h, 6h or 1d12h",
                "/etc/strata/config.toml:11: jobs.docs.keep-daily: must be a whole number of at least 1, not 0",
                "/etc/strata/config.toml:12: jobs.docs.keep-weekly: must be a whole number of at least 1, not \"5\"",
                "/etc/strata/config.toml:13: jobs.docs.exclude: must be a list of strings, like [\"a\", \"b\"], not \"**/node_modules\"",
                "/etc/strata/config.toml:14: jobs.docs: unknown key 'schedul' (known: repository, paths, exclude, tags, one-file-system, "
                        + "stdin-command, stdin-filename, before, after, schedule, keep-last, keep-hourly, keep-daily, keep-weekly, "
                        + "keep-monthly, keep-yearly, keep-within, max-age)",
                "/etc/strata/config.toml:19: jobs.db: give paths or stdin-command, not both",
                "/etc/strata/config.toml:20: jobs.db.one-file-system: must be true or false, not \"yes\"",
                "/etc/strata/config.toml:21: jobs.db.max-age: 'two days' is not a duration (like 36h, 7d, 2w or 1d12h)",
                "/etc/strata/config.toml:23: jobs.empty: nothing to back up: give 'paths' (or 'stdin-command')",
                "/etc/strata/config.toml:26: unknown table 'notes' (known: repositories, jobs, mounts)");
    }

    @Test
    void parse_noRepository_saysSo() {
        assertThat(problems("""
                [jobs.docs]
                paths = ["/home/ana"]
                """)).containsExactly(
                "/etc/strata/config.toml:1: jobs.docs: 'repository' is missing and no [repositories.NAME] table defines one");
    }

    @Test
    void parse_empty_saysWhatToAdd() {
        assertThat(problems("")).containsExactly(
                "/etc/strata/config.toml:1: no jobs: add a [jobs.NAME] table with a repository, paths and a schedule");
    }

    @Test
    void message_isTheFirstProblemOnOneLine_withACountOfTheRest() {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, """
                [repositories.main]
                path = "/r"
                [jobs.a]
                paths = ["/a"]
                schedule = "hourly"
                keep-last = -1
                """)).isInstanceOf(ConfigException.class).hasMessage(
                "/etc/strata/config.toml:5: jobs.a.schedule: 'hourly' is not a schedule: write 'every 1h', 'daily 02:30' or "
                        + "'weekly sun 03:00' (and 1 more: 'strata config check' lists them)");
    }

    @Test
    void load_missingFile_isOneClearLine(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("config.toml")))
                .hasMessage("configuration file " + dir.resolve("config.toml") + " does not exist");
    }

    @Test
    void load_notUtf8_isAProblemAtLineOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config.toml");
        Files.write(f, new byte[]{'#', ' ', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessage(f + ":1: the file is not UTF-8 text");
    }
}
