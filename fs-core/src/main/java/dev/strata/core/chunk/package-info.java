/**
 * Content-defined chunking (FastCDC) over streams and the recognition of all-zero chunks (holes).
 * Pure computation: imports nothing from other Strata layers.
 */
package dev.strata.core.chunk;
