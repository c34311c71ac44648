package dev.strata.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The reports of JVMs that crashed while running {@code strata}: the launcher points
 * {@code -XX:ErrorFile} into the cache folder's {@value #FOLDER} folder (never the user's current
 * folder), and the next command says once that the previous one crashed and where its report is.
 * Stateless; the file system holds what was already said (a {@value #SEEN_SUFFIX} marker beside each
 * report).
 */
public final class CrashReports {
    /** The folder under the cache root; the launcher and the mount daemon use the same name. */
    public static final String FOLDER = "crashes";
    static final String SEEN_SUFFIX = ".seen";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private CrashReports() {
    }

    /**
     * The {@code -XX:ErrorFile} option for a JVM using {@code cacheRoot}, creating the folder: a JVM
     * whose error-file folder is missing falls back to its current folder.
     */
    public static String errorFileOption(Path cacheRoot) throws IOException {
        Path folder = Files.createDirectories(cacheRoot.resolve(FOLDER)).toAbsolutePath();
        return "-XX:ErrorFile=" + folder + "/hs_err_pid%p.log";
    }

    /**
     * Prints one line for each crash report not announced before, then marks it announced. Never
     * fails: a cache folder that cannot be read only means nothing is said.
     */
    static void announceNew(Path cacheRoot, PrintStream err) {
        for (Path report : unseen(cacheRoot.resolve(FOLDER))) {
            try {
                Files.createFile(report.resolveSibling(report.getFileName() + SEEN_SUFFIX));
            } catch (IOException e) {
                continue; // not announced rather than announced at every command
            }
            err.println("strata: an earlier strata command crashed (" + describe(report) + "); its report is "
                    + report + " — please keep it for a bug report");
        }
    }

    private static List<Path> unseen(Path folder) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "hs_err_pid*.log")) {
            for (Path f : files) {
                if (!Files.exists(f.resolveSibling(f.getFileName() + SEEN_SUFFIX))) {
                    found.add(f);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        found.sort(null);
        return found;
    }

    private static String describe(Path report) {
        String name = report.getFileName().toString();
        String pid = name.substring("hs_err_pid".length(), name.length() - ".log".length());
        try {
            Instant when = Files.getLastModifiedTime(report).toInstant();
            return "process " + pid + ", " + TIME.format(when);
        } catch (IOException e) {
            return "process " + pid;
        }
    }
}
