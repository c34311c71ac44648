package dev.strata.fuse;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A mounted view: libfuse mounts it, and a few Java threads receive and process the kernel's
 * requests (so callbacks run on threads the JVM already knows). It ends when the mount point is
 * unmounted, by {@link #unmount()}, `strata umount` or `fusermount -u`. Thread-safe.
 */
public final class FuseMount implements AutoCloseable {
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ENOENT = 2;

    private final Path mountpoint;
    private final FuseAdapter adapter;
    private final LibFuseLoop lib;
    private final Pointer fuse;
    private final Pointer mountpointString;
    private final List<Thread> workers = new ArrayList<>();
    private final KernelRequests requests = new KernelRequests();
    private final CountDownLatch finished;
    private volatile boolean tornDown;

    private FuseMount(Path mountpoint, FuseAdapter adapter, LibFuseLoop lib, Pointer fuse, Pointer mp, int threads) {
        this.mountpoint = mountpoint;
        this.adapter = adapter;
        this.lib = lib;
        this.fuse = fuse;
        this.mountpointString = mp;
        this.finished = new CountDownLatch(threads);
    }

    /** Mounts {@code adapter}'s view at {@code mountpoint} and starts serving it. */
    public static FuseMount mount(Path mountpoint, FuseAdapter adapter, MountOptions options) throws IOException {
        LibFuseLoop lib = load();
        String[] argv = {"strata", "-f", mountpoint.toAbsolutePath().toString(), "-o", options.optionString()};
        PointerByReference mp = new PointerByReference();
        IntByReference multithreaded = new IntByReference();
        Pointer fuse = lib.fuse_setup(argv.length, argv, fuseOperations(adapter),
                Struct.size(fuseOperations(adapter)), mp, multithreaded, null);
        if (fuse == null) {
            throw new IOException("cannot mount at " + mountpoint + " (is /dev/fuse there and fuse installed? "
                    + "libfuse's reason is printed above)");
        }
        FuseMount m = new FuseMount(mountpoint, adapter, lib, fuse, mp.getValue(), options.threads());
        m.start(options.threads());
        return m;
    }

    private static ru.serce.jnrfuse.struct.FuseOperations fuseOperations(FuseAdapter adapter) {
        return adapter.operations();
    }

    private static LibFuseLoop load() throws IOException {
        try {
            return LibraryLoader.create(LibFuseLoop.class).failImmediately().load("fuse");
        } catch (Throwable first) {
            try {
                return LibraryLoader.create(LibFuseLoop.class).failImmediately().load("libfuse.so.2");
            } catch (Throwable e) {
                throw new IOException("libfuse 2 is not installed (Debian: apt-get install -y fuse libfuse2)", e);
            }
        }
    }

    private void start(int threads) {
        Pointer session = lib.fuse_get_session(fuse);
        Pointer chan = lib.fuse_session_next_chan(session, null);
        long bufsize = lib.fuse_chan_bufsize(chan);
        Runtime runtime = Runtime.getSystemRuntime();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> serve(session, chan, Memory.allocateDirect(runtime, bufsize), bufsize),
                    "strata-fuse-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** One request loop, as libfuse's own multi-threaded loop runs it. */
    private void serve(Pointer session, Pointer chan, Pointer buf, long bufsize) {
        Pointer ch = Memory.allocateDirect(Runtime.getSystemRuntime(), Runtime.getSystemRuntime().addressSize());
        try {
            while (lib.fuse_session_exited(session) == 0) {
                ch.putPointer(0, chan);
                int res = lib.fuse_chan_recv(ch, buf, bufsize);
                if (res == -EINTR || res == -EAGAIN || res == -ENOENT) {
                    continue;
                }
                if (res <= 0) {
                    // 0: unmounted. Negative: the channel failed; either way this mount is over.
                    lib.fuse_session_exit(session);
                    break;
                }
                FuseRequest.begin(buf, res);
                long start = System.nanoTime();
                lib.fuse_session_process(session, buf, res, ch.getPointer(0));
                requests.add(FuseRequest.current().opcode(), System.nanoTime() - start);
            }
        } finally {
            // Native memory is freed once its Pointer is unreachable; libfuse must never read freed buffers.
            Reference.reachabilityFence(buf);
            Reference.reachabilityFence(ch);
            finished.countDown();
        }
    }

    public Path mountpoint() {
        return mountpoint;
    }

    public FuseAdapter adapter() {
        return adapter;
    }

    /** The kernel's requests so far, by kind, with the time each took to serve. */
    public KernelRequests requests() {
        return requests;
    }

    /** Waits until the mount ends (someone unmounted it); then releases libfuse's resources. */
    public void awaitUnmount() throws InterruptedException {
        finished.await();
        teardown();
    }

    /** Waits at most {@code millis}; true when the mount has ended. */
    public boolean awaitUnmount(long millis) throws InterruptedException {
        if (finished.await(millis, TimeUnit.MILLISECONDS)) {
            teardown();
            return true;
        }
        return false;
    }

    /** Unmounts (lazily if the mount is busy) and waits for the request loops to end. */
    public void unmount() throws IOException, InterruptedException {
        if (finished.getCount() > 0) {
            Unmounter.unmount(mountpoint);
        }
        if (!awaitUnmount(30_000)) {
            throw new IOException("the mount at " + mountpoint + " did not end within 30 s of unmounting");
        }
    }

    private synchronized void teardown() {
        if (tornDown) {
            return;
        }
        tornDown = true;
        lib.fuse_teardown(fuse, mountpointString);
    }

    @Override
    public void close() throws IOException {
        try {
            unmount();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + mountpoint, e);
        }
    }

    /**
     * Lets the kernel read ahead {@code kb} KiB of a file being read sequentially instead of its
     * default 128 KiB, so several reads are in flight at once and the chunk read-ahead behind them
     * is kept busy (a 200 MB file on a fresh mount: 131 → 195 MB/s here). Needs root (sysfs); returns
     * whether it was set.
     */
    public boolean setKernelReadAhead(int kb) {
        try {
            String target = mountpoint.toAbsolutePath().normalize().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(target)) {
                    Path knob = Path.of("/sys/class/bdi", f[2], "read_ahead_kb");
                    if (Files.isWritable(knob)) {
                        Files.writeString(knob, Integer.toString(kb));
                        return true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Only speed is at stake.
        }
        return false;
    }

    /** Whether {@code path} is a mount point now (from /proc/self/mountinfo). */
    public static boolean isMounted(Path path) throws IOException {
        String target = path.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && unescape(f[4]).equals(target)) {
                return true;
            }
        }
        return false;
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
