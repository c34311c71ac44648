package dev.strata.snapshot.backup.filter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The exclusion rules in force inside one directory of a backup walk: the command-line rules, the
 * ignore files of this directory and its ancestors up to the walk's root, and whether the directory
 * is tagged (cache directory, {@code --exclude-if-present}). The walker gets one for a root from
 * {@link ExcludeFilter#root} and derives one per directory it descends into with {@link #enter}.
 * Immutable, thread-safe: a parallel walker may share them.
 */
public final class DirectoryFilter {
    /** The ignore-file rules of one folder, with the depth of that folder; deepest first. */
    private record Layer(IgnoreRules rules, int baseDepth, Layer next) {}

    private final ExcludeFilter config;
    private final Path dir;
    private final String[] components; // of dir, from the filesystem root
    private final Layer layers;
    private final Set<String> kept;    // non-null when tagged: only these entries stay
    private final String tagReason;
    private final List<FilterProblem> problems;

    private DirectoryFilter(ExcludeFilter config, Path dir, String[] components, Layer layers, Set<String> kept,
                            String tagReason, List<FilterProblem> problems) {
        this.config = config;
        this.dir = dir;
        this.components = components;
        this.layers = layers;
        this.kept = kept;
        this.tagReason = tagReason;
        this.problems = problems;
    }

    /** The filter for a walk's root directory, {@code dir} absolute and normalized. */
    static DirectoryFilter root(ExcludeFilter config, Path dir, String[] components, Collection<String> childNames) {
        return open(config, dir, components, null, childNames);
    }

    private static DirectoryFilter open(ExcludeFilter config, Path dir, String[] components, Layer parentLayers,
                                        Collection<String> childNames) {
        List<FilterProblem> problems = new ArrayList<>();
        Set<String> kept = null;
        String tagReason = null;
        boolean hasIgnoreFile = false;
        boolean hasCacheTag = false;
        for (String name : childNames) {
            if (config.ifPresent.contains(name)) {
                kept = kept == null ? new HashSet<>() : kept;
                kept.add(name);
                tagReason = "its directory contains " + name + " (--exclude-if-present)";
            }
            hasIgnoreFile |= name.equals(config.ignoreFileName);
            hasCacheTag |= config.excludeCaches && name.equals(CacheDirTag.FILE_NAME);
        }
        if (hasCacheTag && isCacheDirTag(config, dir.resolve(CacheDirTag.FILE_NAME), problems)) {
            kept = kept == null ? new HashSet<>() : kept;
            kept.add(CacheDirTag.FILE_NAME);
            tagReason = "its directory is a cache (CACHEDIR.TAG, --exclude-caches)";
        }
        Layer layers = parentLayers;
        if (hasIgnoreFile && kept == null) {
            Path file = dir.resolve(config.ignoreFileName);
            try {
                IgnoreRules rules = IgnoreRules.parseIgnoreFile(config.files.readText(file), file.toString(), false);
                if (!rules.isEmpty()) {
                    layers = new Layer(rules, components.length, parentLayers);
                }
            } catch (IOException e) {
                problems.add(new FilterProblem(file.toString(),
                        "ignore file not read, its rules do not apply: " + IoReasons.of(e)));
            }
        }
        return new DirectoryFilter(config, dir, components, layers, kept == null ? null : Set.copyOf(kept), tagReason,
                List.copyOf(problems));
    }

    private static boolean isCacheDirTag(ExcludeFilter config, Path tag, List<FilterProblem> problems) {
        try {
            return CacheDirTag.isValid(config.files.readHead(tag, CacheDirTag.SIGNATURE.length));
        } catch (IOException e) {
            problems.add(new FilterProblem(tag.toString(), "cache directory tag not read: " + IoReasons.of(e)));
            return false;
        }
    }

    /**
     * The filter inside the child directory {@code name}, which the walker has decided to descend
     * into (it is not {@link #excludes excluded}); reads the child's ignore file and tags, if any.
     *
     * @param childNames the names of the entries of that directory
     */
    public DirectoryFilter enter(String name, Collection<String> childNames) {
        return enter(dir.resolve(name), name, childNames);
    }

    /**
     * As {@link #enter(String, Collection)}, with the child's path made by the caller: a name whose
     * bytes are not UTF-8 needs a path built from its bytes, which this JDK-only package cannot make.
     */
    public DirectoryFilter enter(Path childDir, String name, Collection<String> childNames) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a directory entry name: \"" + name + "\"");
        }
        String[] child = Arrays.copyOf(components, components.length + 1);
        child[components.length] = name;
        return open(config, childDir, child, layers, childNames);
    }

    /**
     * Whether the entry {@code name} of this directory is left out of the backup. An excluded
     * directory is skipped whole: the walker neither stores nor enters it.
     *
     * @param isDirectory whether the entry itself is a directory (a symbolic link to one is not)
     * @param size the entry's size in bytes; only compared for non-directories
     */
    public boolean excludes(String name, boolean isDirectory, long size) {
        return exclusion(name, isDirectory, size) != null;
    }

    /** Why {@link #excludes} holds, for verbose output; empty if the entry is kept. */
    public Optional<String> explain(String name, boolean isDirectory, long size) {
        Object why = exclusion(name, isDirectory, size);
        if (why == null) {
            return Optional.empty();
        }
        return Optional.of(why instanceof IgnorePattern ? "matches " + why : why.toString());
    }

    /** Null when kept; else an IgnorePattern or a reason string. */
    private Object exclusion(String name, boolean isDirectory, long size) {
        if (kept != null && !kept.contains(name)) {
            return tagReason;
        }
        if (!isDirectory && config.maxFileSize >= 0 && size > config.maxFileSize) {
            return "larger than " + config.maxFileSize + " bytes (--exclude-larger-than)";
        }
        IgnorePattern p = config.commandLine.match(components, 0, name, isDirectory);
        if (p != null) {
            return p.negated() ? null : p;
        }
        for (Layer l = layers; l != null; l = l.next) {
            p = l.rules.match(components, l.baseDepth, name, isDirectory);
            if (p != null) {
                return p.negated() ? null : p;
            }
        }
        return null;
    }

    /**
     * Whether the directory is tagged (a cache, or it holds an {@code --exclude-if-present} file):
     * then only the tag files themselves are kept, and the walker may skip looking at the rest.
     */
    public boolean contentsExcluded() {
        return kept != null;
    }

    /** The directory this filter is for. */
    public Path directory() {
        return dir;
    }

    /** Files that could not be read while setting up this directory; the walker reports them. */
    public List<FilterProblem> problems() {
        return problems;
    }
}
