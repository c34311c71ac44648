/**
 * A device's identity: its key pair and self-signed certificate in the configuration folder, and the
 * device ID (the SHA-256 of the certificate) in the form people read out. The one package of the
 * sync module that uses Bouncy Castle (to build certificates); it imports nothing else of the module.
 */
package dev.strata.sync.identity;
