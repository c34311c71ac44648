/**
 * Objects built from chunks: trees (directories with full metadata), file contents and content
 * lists, in the versioned binary format of docs/format.md §10. Imports the store, id and error
 * layers; never snapshots, views, FUSE or the CLI.
 */
package dev.strata.core.tree;
