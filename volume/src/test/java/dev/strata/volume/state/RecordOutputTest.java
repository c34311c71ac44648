package dev.strata.volume.state;

import dev.strata.core.tree.Timestamp;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Records are laid out as they always were: big-endian numbers, lengths before bytes. */
class RecordOutputTest {
    @Test
    void fields_areLaidOutBigEndian_asDataOutputWritesThem() throws IOException {
        byte[] long300 = new byte[300];
        for (int i = 0; i < long300.length; i++) {
            long300[i] = (byte) i;
        }
        byte[] record = new RecordOutput().u8(0xAB).u32(-2).u64(0x0102030405060708L).bool(true)
                .time(new Timestamp(1_700_000_000L, 999_999_999)).bytes(long300).u8(7).toBytes();

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(0xAB);
        out.writeInt(-2);
        out.writeLong(0x0102030405060708L);
        out.writeByte(1);
        out.writeLong(1_700_000_000L);
        out.writeInt(999_999_999);
        out.writeInt(300);
        out.write(long300);
        out.writeByte(7);
        assertThat(record).isEqualTo(expected.toByteArray());
    }
}
