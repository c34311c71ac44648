/**
 * Who is let in: mutual TLS 1.3 in which each side presents its device certificate and accepts exactly
 * the certificates whose SHA-256 is an added peer's device ID (pinned; no certificate authority).
 * Imports the identity and the JDK's JSSE only.
 */
package dev.strata.sync.trust;
