package dev.strata.snapshot.backup;

import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.PathBytes;
import dev.strata.snapshot.backup.filter.DirectoryFilter;
import dev.strata.snapshot.backup.filter.ExcludeFilter;

import java.nio.file.Path;
import java.util.List;

/**
 * The backup walker's filter built from the exclude options: gitignore-style patterns, size limit,
 * cache tags, marker files and the .strataignore files met on the way down. Immutable, thread-safe.
 */
public final class ExcludePathFilter implements PathFilter {
    private final ExcludeFilter config;
    /** The rules in force in the directory whose entries this filter judges; null above the sources. */
    private final DirectoryFilter current;

    public ExcludePathFilter(ExcludeFilter config) {
        this(config, null);
    }

    private ExcludePathFilter(ExcludeFilter config, DirectoryFilter current) {
        this.config = config;
        this.current = current;
    }

    @Override
    public boolean excludes(Path path, String name, FileStatus status) {
        return current != null && current.excludes(name, status.isDirectory(), status.size());
    }

    @Override
    public PathFilter enter(Path dir, List<String> names, Warnings warnings) {
        DirectoryFilter next = current == null ? config.root(dir, names)
                : current.enter(dir, PathBytes.name(dir), names);
        next.problems().forEach(p -> warnings.add(Path.of(p.path()), p.message()));
        return new ExcludePathFilter(config, next);
    }
}
