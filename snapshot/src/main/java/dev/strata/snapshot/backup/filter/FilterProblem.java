package dev.strata.snapshot.backup.filter;

import java.util.Objects;

/**
 * Something a filter could not read or find, for the backup to report as a warning and go on:
 * an unreadable {@code .strataignore}, a {@code --files-from} entry that does not exist. Immutable.
 *
 * @param path the path as the user or the walk named it
 * @param message what went wrong, e.g. "no such file or directory"
 */
public record FilterProblem(String path, String message) {
    public FilterProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
