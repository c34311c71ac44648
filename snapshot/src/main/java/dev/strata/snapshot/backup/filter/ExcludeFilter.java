package dev.strata.snapshot.backup.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The exclusion options of {@code strata backup}, combined: command-line patterns
 * ({@code --exclude}, {@code --iexclude}, {@code --exclude-file}), per-directory
 * {@code .strataignore} files, {@code --exclude-larger-than}, {@code --exclude-caches} and
 * {@code --exclude-if-present}. Built once per backup; hands out a {@link DirectoryFilter} per walk
 * root. Immutable, thread-safe.
 *
 * <p>Precedence, as git orders its lists: the command-line patterns (in the order given, the last
 * match deciding) come first; if none matches, the ignore file of the deepest folder with a matching
 * pattern decides, then shallower ones. Size and tags exclude regardless of patterns.
 */
public final class ExcludeFilter {
    public static final String IGNORE_FILE_NAME = ".strataignore";

    final IgnoreRules commandLine;
    final long maxFileSize; // negative: no limit
    final boolean excludeCaches;
    final Set<String> ifPresent;
    final String ignoreFileName; // null: no per-directory files
    final FilterFiles files;

    private ExcludeFilter(Builder b) {
        this.commandLine = IgnoreRules.of(b.patterns);
        this.maxFileSize = b.maxFileSize;
        this.excludeCaches = b.excludeCaches;
        this.ifPresent = Set.copyOf(b.ifPresent);
        this.ignoreFileName = b.ignoreFileName;
        this.files = b.files;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A filter that excludes nothing and reads {@code .strataignore} files. */
    public static ExcludeFilter defaults() {
        return builder().build();
    }

    /**
     * The filter for the walk of the backup root {@code dir} (its ignore file and tags apply; ignore
     * files of folders above it do not).
     *
     * @param childNames the names of the entries of {@code dir}
     */
    public DirectoryFilter root(Path dir, Collection<String> childNames) {
        Path abs = dir.toAbsolutePath().normalize();
        return DirectoryFilter.root(this, abs, components(abs), childNames);
    }

    /**
     * Whether a backup target given on the command line (or by {@code --files-from}) is excluded by
     * the command-line patterns or its size. Only the target itself is matched, not its parent
     * folders, and no ignore file applies to it (as restic does).
     */
    public boolean excludesTarget(Path target, boolean isDirectory, long size) {
        if (!isDirectory && maxFileSize >= 0 && size > maxFileSize) {
            return true;
        }
        String[] parts = components(target.toAbsolutePath().normalize());
        if (parts.length == 0) {
            return false;
        }
        String[] dir = Arrays.copyOf(parts, parts.length - 1);
        IgnorePattern p = commandLine.match(dir, 0, parts[parts.length - 1], isDirectory);
        return p != null && !p.negated();
    }

    private static String[] components(Path abs) {
        String[] parts = new String[abs.getNameCount()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = abs.getName(i).toString();
        }
        return parts;
    }

    /** Collects the options; confined to one thread. */
    public static final class Builder {
        private final List<IgnorePattern> patterns = new ArrayList<>();
        private long maxFileSize = -1;
        private boolean excludeCaches;
        private final Set<String> ifPresent = new LinkedHashSet<>();
        private String ignoreFileName = IGNORE_FILE_NAME;
        private FilterFiles files = FilterFiles.local();

        private Builder() {
        }

        /** {@code --exclude PATTERN}. */
        public Builder exclude(String pattern) {
            patterns.add(IgnorePattern.commandLine(pattern, false));
            return this;
        }

        /** {@code --iexclude PATTERN}: like {@link #exclude}, ignoring case. */
        public Builder iexclude(String pattern) {
            patterns.add(IgnorePattern.commandLine(pattern, true));
            return this;
        }

        /**
         * {@code --exclude-file FILE}: one pattern per line, with ignore-file syntax (comments,
         * blank lines, trailing spaces) and command-line anchoring.
         *
         * @throws IOException naming the file, if it cannot be read
         */
        public Builder excludeFile(Path file, boolean ignoreCase) throws IOException {
            String text;
            try {
                text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("read exclude file " + file + ": " + e.getMessage(), e);
            }
            return excludeRules(IgnoreRules.parseExcludeFile(text, file.toString(), ignoreCase));
        }

        /** Patterns already parsed (e.g. an exclude file read from standard input). */
        public Builder excludeRules(IgnoreRules rules) {
            patterns.addAll(rules.patterns());
            return this;
        }

        /** {@code --exclude-larger-than}: files (not directories) of more than {@code bytes} are left out. */
        public Builder excludeLargerThan(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("size limit must not be negative: " + bytes);
            }
            maxFileSize = bytes;
            return this;
        }

        /** {@code --exclude-larger-than SIZE}, parsed by {@link ByteSize#parse}. */
        public Builder excludeLargerThan(String size) {
            return excludeLargerThan(ByteSize.parse(size));
        }

        /** {@code --exclude-caches}: a tagged cache directory keeps only its CACHEDIR.TAG. */
        public Builder excludeCaches(boolean enabled) {
            excludeCaches = enabled;
            return this;
        }

        /** {@code --exclude-if-present NAME}, repeatable: a directory holding NAME keeps only NAME. */
        public Builder excludeIfPresent(String name) {
            if (name.isEmpty() || name.indexOf('/') >= 0) {
                throw new IllegalArgumentException("--exclude-if-present takes a file name, not \"" + name + "\"");
            }
            ifPresent.add(name);
            return this;
        }

        /** The per-directory ignore file name; {@link #IGNORE_FILE_NAME} by default, null for none. */
        public Builder ignoreFileName(String name) {
            if (name != null && (name.isEmpty() || name.indexOf('/') >= 0)) {
                throw new IllegalArgumentException("not a file name: \"" + name + "\"");
            }
            ignoreFileName = name;
            return this;
        }

        /** Where ignore files and tags are read from; the local filesystem by default. */
        public Builder files(FilterFiles files) {
            this.files = Objects.requireNonNull(files, "files");
            return this;
        }

        public ExcludeFilter build() {
            return new ExcludeFilter(this);
        }
    }
}
