package dev.strata.core.backend.s3;

/** The backend contract for a repository that fills its bucket (no prefix). */
class S3BackendAtBucketRootTest extends S3BackendTest {
    @Override
    protected String prefix() {
        return "";
    }
}
