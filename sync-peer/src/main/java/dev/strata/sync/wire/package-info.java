/**
 * The bytes peers exchange inside TLS (docs/sync.md, "Wire format"): length-framed messages with
 * bounds checked before anything is allocated, and their codecs. Streams only: no sockets, no threads.
 * Imports the identity's device ID and fs-core's ids.
 */
package dev.strata.sync.wire;
