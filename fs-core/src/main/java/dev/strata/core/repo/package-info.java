/**
 * The repository: creating and opening one (config, key files, format checks), its locks, its
 * passwords, and the wiring of the chunk store over backend, index and crypto. The top of fs-core's
 * storage layers; imports every layer below it, and nothing above (snapshots, views, CLI).
 */
package dev.strata.core.repo;
