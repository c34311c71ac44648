/**
 * The error types every layer shares: integrity errors ({@link dev.strata.core.error.CorruptDataException},
 * {@link dev.strata.core.error.MissingChunkException}) and user-facing errors that carry an
 * {@link dev.strata.core.error.ExitCode}. Imports nothing else from Strata.
 */
package dev.strata.core.error;
