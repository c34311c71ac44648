/**
 * The backend layer: named immutable blobs (put, get, ranged read, list, delete), written
 * atomically. Knows nothing about encryption, packs or the index; imports only
 * {@code dev.strata.core.id} and {@code dev.strata.core.error}.
 */
package dev.strata.core.backend;
