/**
 * JMH benchmarks of Strata's core kernels (chunker, chunk ids, zstd, AES-GCM) and of the whole put
 * pipeline, all on one deterministic corpus that native tools can read too. Imports fs-core only;
 * nothing may import this package.
 */
package dev.strata.bench;
