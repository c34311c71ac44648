/**
 * Packs: chunks compressed, encrypted and appended to self-describing files with an encrypted table
 * at the end (docs/format.md §5). Imports backend, crypto, compress, id and error; never the index or
 * the store.
 */
package dev.strata.core.pack;
