package dev.strata.snapshot.restore;

import java.nio.file.Path;

/**
 * Where a restored entry goes, twice: {@code path} as a person knows it (messages, the check that
 * nothing leaves the target), and {@code io}, the path system calls are given: the same place, but
 * kept under the 4,096 bytes Linux allows a path by starting from a held folder (see
 * {@link dev.strata.core.posix.DirectoryHandle}) when the real path is longer. Immutable.
 */
record Place(Path path, Path io) {
}
