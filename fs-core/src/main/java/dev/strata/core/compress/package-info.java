/**
 * Compression of chunk payloads (zstd) with a cheap incompressibility probe. Imports only
 * {@code dev.strata.core.error}.
 */
package dev.strata.core.compress;
