/**
 * Connections between peers: dialling and listening, the TLS handshake and hello, keepalive, idle and
 * write timeouts, reconnection with backoff, one connection per peer, requests and their answers, and
 * what a status display needs to know. Knows nothing of what the requests are about (chunks, later
 * file records): those are handlers registered from above.
 */
package dev.strata.sync.net;
