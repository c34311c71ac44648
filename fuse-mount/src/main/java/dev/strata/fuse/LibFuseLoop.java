package dev.strata.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;
import ru.serce.jnrfuse.struct.FuseOperations;

/**
 * The parts of libfuse 2 that let Java threads run the request loop themselves (instead of
 * libfuse's own pthreads, each of which would attach to the JVM on every callback). Public only
 * because jnr-ffi generates its implementation in another class loader.
 */
public interface LibFuseLoop {
    Pointer fuse_setup(int argc, String[] argv, FuseOperations op, long opSize, PointerByReference mountpoint,
                       IntByReference multithreaded, Pointer userData);

    void fuse_teardown(Pointer fuse, Pointer mountpoint);

    Pointer fuse_get_session(Pointer fuse);

    Pointer fuse_session_next_chan(Pointer session, Pointer chan);

    long fuse_chan_bufsize(Pointer chan);

    /** {@code chan} points to a {@code struct fuse_chan *} (in and out). */
    int fuse_chan_recv(Pointer chan, Pointer buf, long size);

    void fuse_session_process(Pointer session, Pointer buf, long len, Pointer chan);

    int fuse_session_exited(Pointer session);

    void fuse_session_exit(Pointer session);
}
