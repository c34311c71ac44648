package dev.strata.core.testing;

import dev.strata.core.backend.Backend;

/** The backend contract for the in-memory backend that other tests build on. */
class InMemoryBackendTest extends BackendContract {
    private InMemoryBackend memory;

    @Override
    protected Backend newBackend() {
        memory = new InMemoryBackend();
        return memory;
    }

    @Override
    protected void putForeignObject(String path, byte[] data) {
        memory.putForeignObject(path, data);
    }
}
