package dev.strata.snapshot.backup.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --files-from FILE}: the backup targets listed in a file, as absolute normalized paths.
 * Stateless, thread-safe.
 */
public final class FilesFrom {
    /** How entries are separated. */
    public enum Format {
        /**
         * One path per line ({@code \n} or {@code \r\n}); lines that are blank or start with
         * {@code #} are skipped; otherwise a line is taken exactly, spaces included.
         */
        LINES,
        /**
         * Entries separated by NUL bytes, as {@code find -print0} writes them, so that paths may
         * contain newlines; taken exactly, no comments; empty entries are skipped.
         */
        NUL_SEPARATED
    }

    /** The parsed targets, in file order without duplicates, and what was wrong with the others. */
    public record Result(List<Path> paths, List<FilterProblem> problems) {
        public Result {
            paths = List.copyOf(paths);
            problems = List.copyOf(problems);
        }
    }

    private FilesFrom() {
    }

    /**
     * Reads the list in {@code listFile} and checks that each target exists (a dangling symbolic
     * link exists: it is backed up as a link). Missing or unusable targets are reported as
     * problems, not thrown, so the backup can warn and go on.
     *
     * @param workingDirectory what relative entries are resolved against
     * @throws IOException naming the list file, if that cannot be read
     */
    public static Result read(Path listFile, Format format, Path workingDirectory) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(listFile);
        } catch (IOException e) {
            throw new IOException("read --files-from list " + listFile + ": " + e.getMessage(), e);
        }
        Result parsed = parse(new String(content, StandardCharsets.UTF_8), format, workingDirectory);
        List<Path> existing = new ArrayList<>();
        List<FilterProblem> problems = new ArrayList<>(parsed.problems());
        for (Path p : parsed.paths()) {
            try {
                Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                existing.add(p);
            } catch (IOException e) {
                problems.add(new FilterProblem(p.toString(), IoReasons.of(e)));
            }
        }
        return new Result(existing, problems);
    }

    /**
     * Parses list text into absolute normalized paths, without touching the filesystem; entries that
     * are not valid paths become problems. Normalization is lexical ({@code a/../b} is {@code b}).
     */
    public static Result parse(String content, Format format, Path workingDirectory) {
        Path base = workingDirectory.toAbsolutePath().normalize();
        Set<Path> paths = new LinkedHashSet<>();
        List<FilterProblem> problems = new ArrayList<>();
        for (String entry : entries(content, format)) {
            try {
                paths.add(base.resolve(entry).normalize());
            } catch (InvalidPathException e) {
                problems.add(new FilterProblem(entry, "not a valid path: " + e.getReason()));
            }
        }
        return new Result(new ArrayList<>(paths), problems);
    }

    private static List<String> entries(String content, Format format) {
        List<String> out = new ArrayList<>();
        char separator = format == Format.LINES ? '\n' : '\0';
        int start = 0;
        while (start <= content.length()) {
            int end = content.indexOf(separator, start);
            if (end < 0) {
                end = content.length();
            }
            String entry = content.substring(start, end);
            if (format == Format.LINES && entry.endsWith("\r")) {
                entry = entry.substring(0, entry.length() - 1);
            }
            boolean skip = format == Format.LINES ? entry.isBlank() || entry.startsWith("#") : entry.isEmpty();
            if (!skip) {
                out.add(entry);
            }
            start = end + 1;
        }
        return out;
    }
}
