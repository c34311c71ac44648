package dev.strata.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;

/** The corpus, loaded once per fork, and a cursor that walks it block by block. Confined to one thread. */
@State(Scope.Thread)
public class CorpusState {
    byte[] data;
    private int next;

    @Setup
    public void load() throws IOException {
        data = Corpus.load();
    }

    /** The offset of the next {@code blockSize} block, wrapping around at the end of the corpus. */
    int nextBlock(int blockSize) {
        int blocks = data.length / blockSize;
        int offset = next * blockSize;
        next = next + 1 >= blocks ? 0 : next + 1;
        return offset;
    }
}
