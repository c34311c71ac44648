/** The local-folder backend, the embedded default. Imports only the backend interface above it. */
package dev.strata.core.backend.local;
