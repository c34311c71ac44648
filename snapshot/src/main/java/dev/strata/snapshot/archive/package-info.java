/**
 * Archives in and out: a snapshot's folder or file streamed as tar, tar.zst or zip, and a tarball
 * imported as a snapshot. The only package that uses Apache Commons Compress; imports fs-core and
 * the snapshot records, never the CLI.
 */
package dev.strata.snapshot.archive;
