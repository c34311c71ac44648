package dev.strata.volume.data;

import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;

import java.io.IOException;

/** A sealed content opened for reading (a saved version of a volume's file). Thread-safe. */
public final class ContentFile implements OpenFile {
    private final BaseReader reader;

    private ContentFile(BaseReader reader) {
        this.reader = reader;
    }

    public static ContentFile open(TreeStore trees, FileContent content) throws IOException {
        return new ContentFile(new BaseReader(trees.chunks(), trees.refs(content)));
    }

    @Override
    public int read(long offset, int length, ReadSink sink) throws IOException {
        long size = reader.size();
        if (offset >= size || length <= 0) {
            return 0;
        }
        int n = (int) Math.min(length, size - offset);
        byte[] buf = new byte[n];
        reader.read(offset, buf, 0, n);
        sink.put(0, buf, 0, n);
        return n;
    }

    @Override
    public void close() {
    }
}
