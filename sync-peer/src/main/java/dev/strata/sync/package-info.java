/**
 * Peer-to-peer sync between devices (docs/sync.md): wires the device identity, the peer list, pinned
 * mutual TLS, the connections and the chunk exchange into one running node. Imports neither FUSE,
 * images nor the CLI; nothing below it (fs-core, snapshot, volume) imports it.
 */
package dev.strata.sync;
