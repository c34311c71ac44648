/**
 * The FUSE adapter: mounts a view with libfuse 2 through jnr-fuse, runs the request loop on Java
 * threads, maps callbacks onto the view interface with one errno table and one handle table. No
 * domain logic; imports only fs-core's view layer (and the error types) besides jnr-fuse and jnr-ffi.
 */
package dev.strata.fuse;
