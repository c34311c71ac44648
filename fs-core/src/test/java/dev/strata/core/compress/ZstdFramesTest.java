package dev.strata.core.compress;

import dev.strata.core.testing.RandomData;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ZstdFramesTest {
    private final ZstdCompressor zstd = new ZstdCompressor(3);

    @Property(tries = 60)
    void findsTheEndAndContentSizeOfAFrame(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400_000) int length) {
        byte[] text = RandomData.text(seed, length);
        Compressed c = zstd.compress(text, 0, text.length);
        if (c.code() != CompressionCode.ZSTD) {
            return;
        }
        byte[] frame = Arrays.copyOfRange(c.data(), c.offset(), c.offset() + c.length());
        byte[] followed = Arrays.copyOf(frame, frame.length + 100);
        ZstdFrames.Layout layout = ZstdFrames.layout(n -> followed, followed.length);
        assertEquals(new ZstdFrames.Layout(frame.length, text.length), layout);
        assertNull(ZstdFrames.layout(n -> followed, frame.length - 1), "a frame cut short has no end");
    }

    @Property(tries = 60)
    void declaredContentSize_isWhatZstdReadsFromTheHeader(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400_000) int length,
                                                          @ForAll @IntRange(min = 0, max = 40) int offset) {
        byte[] text = RandomData.text(seed, length);
        Compressed c = zstd.compress(text, 0, text.length);
        if (c.code() != CompressionCode.ZSTD) {
            return;
        }
        byte[] placed = new byte[offset + c.length()];
        System.arraycopy(c.data(), c.offset(), placed, offset, c.length());
        assertEquals(com.github.luben.zstd.Zstd.getFrameContentSize(placed, offset, c.length()),
                ZstdFrames.declaredContentSize(placed, offset, c.length()));
        assertEquals(text.length, ZstdFrames.declaredContentSize(placed, offset, c.length()));
    }

    @Test
    void somethingElse_isNoFrame() {
        byte[] noise = RandomData.bytes(3, 1000);
        assertNull(ZstdFrames.layout(n -> noise, noise.length));
        assertNull(ZstdFrames.layout(n -> noise, 3));
        assertEquals(-1, ZstdFrames.declaredContentSize(noise, 0, noise.length));
        assertEquals(-1, ZstdFrames.declaredContentSize(noise, 10, 3));
    }
}
