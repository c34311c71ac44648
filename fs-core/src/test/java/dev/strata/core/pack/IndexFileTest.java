package dev.strata.core.pack;

import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.compress.CompressionCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Index files: what is sealed opens the same, and anything altered or out of shape is damage. */
class IndexFileTest {
    private final Aes256GcmCipher cipher = PackFixture.masterKey(1).dataCipher();

    private static PackTable pack(int seed, int entries) {
        List<PackEntry> list = new ArrayList<>();
        long offset = 48;
        for (int i = 0; i < entries; i++) {
            byte[] id = new byte[32];
            id[0] = (byte) seed;
            id[1] = (byte) i;
            boolean raw = i % 2 == 1;
            PackEntry e = new PackEntry(ChunkId.of(id), offset, raw ? 70 + i + 28 : 100 + i, 70 + i,
                    raw ? CompressionCode.NONE : CompressionCode.ZSTD);
            list.add(e);
            offset = e.end();
        }
        byte[] pid = new byte[32];
        pid[5] = (byte) seed;
        return new PackTable(PackId.of(pid), seed % 2 == 0 ? PackType.DATA : PackType.TREE,
                offset + 28 + 4 + 52L * entries + 16, list);
    }

    @Test
    void sealedPacks_openTheSame() throws Exception {
        List<PackTable> packs = List.of(pack(1, 3), pack(2, 0), pack(3, 40));
        assertThat(packs).allMatch(IndexFile::describable);
        assertThat(IndexFile.open(cipher, IndexFile.seal(cipher, packs), "x")).isEqualTo(packs);
    }

    @Test
    void aFlippedBit_orAnotherKey_failsAuthentication() {
        byte[] sealed = IndexFile.seal(cipher, List.of(pack(1, 3)));
        sealed[sealed.length / 2] ^= 1;
        assertThatThrownBy(() -> IndexFile.open(cipher, sealed, "x")).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("index file x");
        byte[] other = IndexFile.seal(PackFixture.masterKey(2).dataCipher(), List.of(pack(1, 3)));
        assertThatThrownBy(() -> IndexFile.open(cipher, other, "x")).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void aPackWhoseEntriesDoNotTileIt_isNeitherWrittenNorRead() {
        PackTable whole = pack(4, 5);
        List<PackEntry> gap = new ArrayList<>(whole.entries());
        gap.remove(2);
        PackTable holed = new PackTable(whole.id(), whole.type(), whole.size(), gap);
        assertThat(IndexFile.describable(holed)).isFalse();
        PackTable longer = new PackTable(whole.id(), whole.type(), whole.size() + 1, whole.entries());
        assertThat(IndexFile.describable(longer)).isFalse();
        for (PackTable bad : List.of(holed, longer)) {
            byte[] sealed = IndexFile.seal(cipher, List.of(bad));
            assertThatThrownBy(() -> IndexFile.open(cipher, sealed, "x")).isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("damaged");
        }
    }

    @Test
    void aNewName_isAnIndexBlob() {
        assertThat(IndexFile.newName().path()).matches("index/[0-9a-f]{64}");
        assertThat(IndexFile.newName()).isNotEqualTo(IndexFile.newName());
    }
}
