package dev.strata.snapshot.view;

import java.util.Set;

/**
 * Names of the entries of a versions folder: the time a content was first saved, then the file's
 * extension, so a file manager opens each version with the right program. Stateless.
 */
public final class VersionNames {
    private static final int MAX_EXTENSION = 12;

    private VersionNames() {
    }

    /** The file's extension with its dot ({@code .odt}), or empty when it has none worth keeping. */
    public static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0 || dot == fileName.length() - 1 || fileName.length() - dot > MAX_EXTENSION) {
            return "";
        }
        String ext = fileName.substring(dot);
        return ext.chars().allMatch(c -> c == '.' || Character.isLetterOrDigit(c) || c == '_' || c == '-') ? ext : "";
    }

    /** {@code time + extension}, or {@code time-2 + extension} and so on when that is taken. */
    public static String unique(String time, String extension, Set<String> taken) {
        String name = time + extension;
        for (int i = 2; taken.contains(name); i++) {
            name = time + "-" + i + extension;
        }
        return name;
    }
}
