/**
 * The path filters of {@code strata backup}: gitignore-style patterns ({@code --exclude},
 * {@code --iexclude}, {@code --exclude-file}, per-directory {@code .strataignore}), size limits,
 * cache-directory and marker-file tags, {@code --files-from} lists and the
 * {@code --one-file-system} boundary. Pure logic plus the few file reads it needs (behind
 * {@link dev.strata.snapshot.backup.filter.FilterFiles}); the walker calls it. Imports only the JDK:
 * nothing from Strata, so it never depends on repositories, trees or the CLI. Semantics and the
 * deviations from git are in docs/excludes.md.
 */
package dev.strata.snapshot.backup.filter;
