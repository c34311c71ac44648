package dev.strata.fuse;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.Attributes;
import ru.serce.jnrfuse.struct.FileStat;

/** Writes view attributes into FUSE's {@code struct stat}. Stateless. */
final class StatFiller {
    private StatFiller() {
    }

    static void fill(FileStat st, Attributes a) {
        st.st_mode.set(typeBits(a.type()) | a.mode());
        st.st_ino.set(a.inode());
        st.st_nlink.set(a.links());
        st.st_uid.set(a.uid());
        st.st_gid.set(a.gid());
        st.st_size.set(a.size());
        st.st_blocks.set(a.blocks());
        st.st_blksize.set(4096);
        st.st_rdev.set(a.rdev());
        time(st.st_atim, a.atime());
        time(st.st_mtim, a.mtime());
        time(st.st_ctim, a.ctime());
    }

    private static void time(ru.serce.jnrfuse.struct.Timespec ts, Timestamp t) {
        ts.tv_sec.set(t.seconds());
        ts.tv_nsec.set(t.nanos());
    }

    static int typeBits(NodeType t) {
        switch (t) {
            case FILE:
                return FileStat.S_IFREG;
            case DIRECTORY:
                return FileStat.S_IFDIR;
            case SYMLINK:
                return FileStat.S_IFLNK;
            case FIFO:
                return FileStat.S_IFIFO;
            case SOCKET:
                return FileStat.S_IFSOCK;
            case CHAR_DEVICE:
                return FileStat.S_IFCHR;
            case BLOCK_DEVICE:
                return FileStat.S_IFBLK;
            default:
                throw new IllegalArgumentException(t.name());
        }
    }
}
