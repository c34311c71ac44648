/**
 * The S3-compatible backend: a repository's blobs as objects in a bucket (AWS S3, MinIO, Ceph RGW),
 * through the AWS SDK for Java v2. The SDK is confined to this package; it imports only the backend
 * interface and the error types of Strata.
 */
package dev.strata.core.backend.s3;
