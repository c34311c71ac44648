/**
 * The peers a device has added: their device IDs and addresses, kept in {@code peers.json} in the
 * configuration folder. Imports only the configuration folder and the identity's device ID.
 */
package dev.strata.sync.peer;
