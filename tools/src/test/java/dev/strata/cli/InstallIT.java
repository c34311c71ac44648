package dev.strata.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tools/install into a temporary prefix: the installed strata works from another folder through the
 * PATH, its bash completion loads, man renders its pages, and tools/uninstall leaves the prefix as it
 * was. Installs the jar this build just packaged (--no-build).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InstallIT {
    private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    @Test
    void install_run_complete_man_uninstall() throws Exception {
        Path prefix = Files.createDirectories(tmp.resolve("prefix"));
        Files.createDirectories(prefix.resolve("share/man/man1"));
        Files.writeString(prefix.resolve("share/man/man1/other.1"), ".TH OTHER 1\n");
        List<String> before = listing(prefix);

        run(CHECKOUT, Map.of(), "tools/install", "--prefix", prefix.toString(), "--no-build");

        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path data = Files.createDirectories(elsewhere.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "installed");
        Map<String, String> env = Map.of(
                "PATH", prefix.resolve("bin") + ":" + System.getenv("PATH"),
                "HOME", elsewhere.toString(),
                "STRATA_REPO", elsewhere.resolve("repo").toString(),
                "STRATA_PASSWORD", "pw",
                "STRATA_CACHE_DIR", elsewhere.resolve("cache").toString());
        assertThat(run(elsewhere, env, "bash", "-c", "command -v strata")).isEqualTo(prefix.resolve("bin/strata") + "\n");
        assertThat(run(elsewhere, env, "bash", "-c", "strata init")).contains("created repository");
        run(elsewhere, env, "bash", "-c", "strata backup -q data");
        assertThat(run(elsewhere, env, "bash", "-c", "strata --json snapshots")).contains("\"paths\":[\"" + data + "\"]");

        assertThat(run(elsewhere, env, "bash", "-c", "source " + prefix.resolve("share/bash-completion/completions/strata")
                + "; complete -p strata")).contains("-F _complete_strata").contains("strata");
        assertThat(run(elsewhere, env, "bash", "-c", "source " + prefix.resolve("share/bash-completion/completions/strata")
                + "; COMP_WORDS=(strata res); COMP_CWORD=1; _complete_strata; echo ${COMPREPLY[@]}")).contains("restore");
        String page = run(elsewhere, Map.of("MANWIDTH", "100"), "man", "-l", "-P", "cat",
                prefix.resolve("share/man/man1/strata-backup.1").toString());
        assertThat(page).contains("strata-backup - Save files and folders as a new snapshot")
                .contains("--from-tar").contains("Examples:");
        assertThat(prefix.resolve("share/zsh/site-functions/_strata")).content().startsWith("#compdef strata");
        if (onPath("fish")) {
            // fish's own completion engine, asked what it offers after the words typed.
            String fish = "source " + prefix.resolve("share/fish/vendor_completions.d/strata.fish") + "; ";
            assertThat(run(elsewhere, env, "fish", "-c", fish + "complete -C 'strata res'")).startsWith("restore\t");
            assertThat(run(elsewhere, env, "fish", "-c", fish + "complete -C 'strata image restore --pa'"))
                    .contains("--path\tCopy this file or folder inside the image").contains("--partition");
            assertThat(run(elsewhere, env, "fish", "-c", fish + "complete -C 'strata --repo r find --ig'"))
                    .startsWith("--ignore-case\t");
        }
        if (onPath("zsh")) {
            assertThat(run(elsewhere, env, "zsh", "-f", "-c", zshCompletes(prefix, "strata res", 4))).contains("strata restore");
        }

        run(CHECKOUT, Map.of(), "tools/uninstall", "--prefix", prefix.toString());

        assertThat(listing(prefix)).isEqualTo(before);
    }

    /**
     * A zsh script that types {@code words} and a tab in an interactive zsh (on a pseudo-terminal)
     * with the installed site-functions on its fpath, and prints what the line became.
     */
    private static String zshCompletes(Path prefix, String words, int seconds) {
        return String.join("\n",
                "zmodload zsh/zpty",
                "zpty z zsh -f -i",
                "zpty -w z 'PS1=\"> \"; fpath=(" + prefix.resolve("share/zsh/site-functions") + " $fpath); "
                        + "autoload -U compinit; compinit -u -d " + prefix.getParent().resolve("zcompdump") + "'",
                "sleep 1",
                "zpty -w -n z $'" + words + "\\t'",
                "sleep " + seconds,
                "out=''",
                "while zpty -r -t z chunk; do out+=$chunk; done",
                "print -r -- $out",
                "zpty -d z");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static String run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
