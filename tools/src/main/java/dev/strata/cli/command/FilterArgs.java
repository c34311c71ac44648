package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.snapshot.backup.ExcludePathFilter;
import dev.strata.snapshot.backup.PathFilter;
import dev.strata.snapshot.backup.filter.ExcludeFilter;
import dev.strata.snapshot.backup.filter.FilesFrom;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The backup options that choose what to leave out. */
final class FilterArgs {
    @Option(names = {"-e", "--exclude"}, paramLabel = "PATTERN", description = "Leave out paths matching PATTERN (gitignore syntax, ** allowed; repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--iexclude", paramLabel = "PATTERN", description = "Like --exclude, ignoring case.")
    List<String> iexcludes = new ArrayList<>();

    @Option(names = "--exclude-file", paramLabel = "FILE", description = "Read exclude patterns from FILE (one per line; repeatable).")
    List<Path> excludeFiles = new ArrayList<>();

    @Option(names = "--exclude-larger-than", paramLabel = "SIZE", description = "Leave out files larger than SIZE (e.g. 500M, 2G).")
    String excludeLargerThan;

    @Option(names = "--exclude-caches", description = "Leave out the contents of folders holding a valid CACHEDIR.TAG.")
    boolean excludeCaches;

    @Option(names = "--exclude-if-present", paramLabel = "NAME", description = "Leave out folders that contain a file called NAME (repeatable).")
    List<String> excludeIfPresent = new ArrayList<>();

    @Option(names = {"-x", "--one-file-system"}, description = "Stay on the filesystem of each path given; mount points are saved empty.")
    boolean oneFileSystem;

    @Option(names = "--files-from", paramLabel = "FILE", description = "Back up the paths listed in FILE (one per line; repeatable).")
    List<Path> filesFrom = new ArrayList<>();

    @Option(names = "--no-strataignore", description = "Ignore .strataignore files.")
    boolean noStrataignore;

    /** The walker's filter for these options. */
    PathFilter build(CliContext ctx) throws IOException {
        ExcludeFilter.Builder b = ExcludeFilter.builder();
        try {
            excludes.forEach(b::exclude);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, "--exclude: " + e.getMessage());
        }
        try {
            iexcludes.forEach(b::iexclude);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, "--iexclude: " + e.getMessage());
        }
        for (Path f : excludeFiles) {
            try {
                b.excludeFile(f, false);
            } catch (NoSuchFileException e) {
                throw new UserFacingException(ExitCode.USAGE, "exclude file " + f + " does not exist");
            }
        }
        try {
            if (excludeLargerThan != null) {
                b.excludeLargerThan(excludeLargerThan);
            }
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, "--exclude-larger-than: " + e.getMessage());
        }
        b.excludeCaches(excludeCaches);
        excludeIfPresent.forEach(b::excludeIfPresent);
        if (noStrataignore) {
            b.ignoreFileName(null);
        }
        return new ExcludePathFilter(b.build());
    }

    /** The paths listed in --files-from files; entries that do not exist are reported and skipped. */
    List<Path> filesFrom(CliContext ctx) throws IOException {
        List<Path> out = new ArrayList<>();
        Path cwd = Path.of("").toAbsolutePath();
        for (Path list : filesFrom) {
            FilesFrom.Result r;
            try {
                r = FilesFrom.read(list, FilesFrom.Format.LINES, cwd);
            } catch (NoSuchFileException e) {
                throw new UserFacingException(ExitCode.USAGE, "--files-from list " + list + " does not exist");
            }
            r.problems().forEach(p -> ctx.err().println("warning: " + p));
            out.addAll(r.paths());
        }
        return out;
    }

    /** The exclude options as given, for the snapshot record. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        excludes.forEach(e -> out.add("--exclude " + e));
        iexcludes.forEach(e -> out.add("--iexclude " + e));
        excludeFiles.forEach(f -> out.add("--exclude-file " + f));
        if (excludeLargerThan != null) {
            out.add("--exclude-larger-than " + excludeLargerThan);
        }
        if (excludeCaches) {
            out.add("--exclude-caches");
        }
        excludeIfPresent.forEach(n -> out.add("--exclude-if-present " + n));
        if (oneFileSystem) {
            out.add("--one-file-system");
        }
        return out;
    }
}
