package dev.strata.cli.command;

import picocli.CommandLine.Option;

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

    dev.strata.snapshot.backup.PathFilter build(dev.strata.cli.CliContext ctx) {
        return dev.strata.snapshot.backup.PathFilter.NONE; // TEMP until filter merge
    }

    List<Path> filesFrom(dev.strata.cli.CliContext ctx) {
        return List.of(); // TEMP
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
