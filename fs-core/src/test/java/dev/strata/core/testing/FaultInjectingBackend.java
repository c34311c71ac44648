package dev.strata.core.testing;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend decorator for tests that counts calls per operation, fails chosen calls with an
 * {@link InjectedFault}, and flips a byte in what reads of a chosen blob return (the blob itself
 * stays intact, as with a flaky disk or network). Thread-safe.
 *
 * <pre>{@code
 * FaultInjectingBackend backend = new FaultInjectingBackend(new InMemoryBackend());
 * backend.failCall(Operation.PUT_FILE, 2);    // the second putFile from now fails
 * backend.corruptReads(packName);             // reads of that pack return a flipped byte
 * backend.calls(Operation.READ);              // how many ranged reads so far
 * }</pre>
 */
public final class FaultInjectingBackend implements Backend {

    /** The operations that can be counted and failed. */
    public enum Operation { CREATE, PUT, PUT_FILE, GET, READ, SIZE, EXISTS, LIST, DELETE }

    /** The exception an injected fault throws. */
    public static final class InjectedFault extends IOException {
        InjectedFault(String message) {
            super(message);
        }
    }

    private final Backend delegate;
    private final Map<Operation, AtomicLong> calls = new EnumMap<>(Operation.class);
    private final Map<Operation, Set<Long>> failingCalls = new EnumMap<>(Operation.class);
    private final Set<Operation> failingAlways = ConcurrentHashMap.newKeySet();
    private final Map<BlobName, Long> corruptOffsets = new ConcurrentHashMap<>();

    public FaultInjectingBackend(Backend delegate) {
        this.delegate = delegate;
        for (Operation op : Operation.values()) {
            calls.put(op, new AtomicLong());
            failingCalls.put(op, ConcurrentHashMap.newKeySet());
        }
    }

    public Backend delegate() {
        return delegate;
    }

    /** Makes the {@code n}-th call of {@code op} from now fail (1 = the next one). */
    public void failCall(Operation op, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n counts from 1, got " + n);
        }
        failingCalls.get(op).add(calls.get(op).get() + n);
    }

    /** Makes every call of {@code op} fail until {@link #heal()}. */
    public void failAlways(Operation op) {
        failingAlways.add(op);
    }

    /** Makes {@code get} and {@code read} of {@code name} return data with the byte at {@code offset} flipped. */
    public void corruptReads(BlobName name, long offset) {
        corruptOffsets.put(name, offset);
    }

    /** Like {@link #corruptReads(BlobName, long)} at the middle of the blob as it is now. */
    public void corruptReads(BlobName name) throws IOException {
        corruptReads(name, delegate.size(name) / 2);
    }

    /** Removes every armed failure and corruption; counts stay. */
    public void heal() {
        failingCalls.values().forEach(Set::clear);
        failingAlways.clear();
        corruptOffsets.clear();
    }

    /** Calls of {@code op} so far, failed ones included. */
    public long calls(Operation op) {
        return calls.get(op).get();
    }

    private void enter(Operation op, Object what) throws InjectedFault {
        long n = calls.get(op).incrementAndGet();
        if (failingAlways.contains(op) || failingCalls.get(op).remove(n)) {
            throw new InjectedFault("injected fault: " + op + " #" + n + " (" + what + ")");
        }
    }

    private byte[] corrupt(BlobName name, long offset, byte[] data) {
        Long at = corruptOffsets.get(name);
        if (at != null && at >= offset && at < offset + data.length) {
            data[(int) (at - offset)] ^= 0x01;
        }
        return data;
    }

    @Override
    public void create() throws IOException {
        enter(Operation.CREATE, delegate.location());
        delegate.create();
    }

    @Override
    public void put(BlobName name, byte[] data) throws IOException {
        enter(Operation.PUT, name);
        delegate.put(name, data);
    }

    @Override
    public void putFile(BlobName name, Path file) throws IOException {
        enter(Operation.PUT_FILE, name);
        delegate.putFile(name, file);
    }

    @Override
    public byte[] get(BlobName name) throws IOException {
        enter(Operation.GET, name);
        return corrupt(name, 0, delegate.get(name));
    }

    @Override
    public byte[] read(BlobName name, long offset, int length) throws IOException {
        enter(Operation.READ, name);
        return corrupt(name, offset, delegate.read(name, offset, length));
    }

    @Override
    public long size(BlobName name) throws IOException {
        enter(Operation.SIZE, name);
        return delegate.size(name);
    }

    @Override
    public boolean exists(BlobName name) throws IOException {
        enter(Operation.EXISTS, name);
        return delegate.exists(name);
    }

    @Override
    public List<BlobInfo> list(BlobType type) throws IOException {
        enter(Operation.LIST, type);
        return delegate.list(type);
    }

    @Override
    public void delete(BlobName name) throws IOException {
        enter(Operation.DELETE, name);
        delegate.delete(name);
    }

    @Override
    public Optional<Path> stagingDirectory() {
        return delegate.stagingDirectory();
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
