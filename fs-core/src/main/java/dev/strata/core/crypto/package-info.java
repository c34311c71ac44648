/**
 * The crypto layer: the master key and its derived subkeys, AES-256-GCM envelopes, keyed chunk ids
 * and password key files (Argon2id). Uses the JDK for the fast paths and Bouncy Castle for
 * Argon2id and HKDF. Must not import the backend, pack, index or store layers.
 */
package dev.strata.core.crypto;
