package dev.strata.sync.identity;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceIdTest {
    private static final String ALPHABET = DeviceIdForm.ALPHABET;

    @Property
    void parse_ofFormat_givesTheSameBytes(@ForAll @Size(32) byte[] bytes) {
        DeviceId id = DeviceId.of(bytes);
        assertThat(DeviceId.parse(id.toString())).isEqualTo(id);
        assertThat(DeviceId.parse(id.toString()).bytes()).isEqualTo(bytes);
    }

    @Property
    void format_isEightBlocksOfSeven(@ForAll @Size(32) byte[] bytes) {
        assertThat(DeviceId.of(bytes).toString()).matches("[A-Z2-7]{7}(-[A-Z2-7]{7}){7}");
    }

    @Test
    void parse_acceptsWhatPeopleType_lowercaseWithoutDashesWithSpacesAndLookalikeDigits() {
        DeviceId id = DeviceId.of(randomBytes(1));
        String text = id.toString();
        assertThat(DeviceId.parse(text.toLowerCase())).isEqualTo(id);
        assertThat(DeviceId.parse(text.replace("-", ""))).isEqualTo(id);
        assertThat(DeviceId.parse(text.replace("-", " "))).isEqualTo(id);
        assertThat(DeviceId.parse(text.replace('O', '0').replace('I', '1').replace('B', '8'))).isEqualTo(id);
    }

    @Test
    void everySingleMistypedCharacter_isCaught_inEveryPosition() {
        for (int seed = 0; seed < 20; seed++) {
            String plain = DeviceId.of(randomBytes(seed)).toString().replace("-", "");
            for (int i = 0; i < plain.length(); i++) {
                for (char c : ALPHABET.toCharArray()) {
                    if (c == plain.charAt(i)) {
                        continue;
                    }
                    String typo = plain.substring(0, i) + c + plain.substring(i + 1);
                    assertThatThrownBy(() -> DeviceId.parse(typo)).as("%s at %d", c, i)
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mistyped");
                }
            }
        }
    }

    @Test
    void swappedNeighbours_areCaught_butForTheOnePairLuhnCannotSee() {
        int caught = 0;
        int swaps = 0;
        for (int seed = 0; seed < 50; seed++) {
            String plain = DeviceId.of(randomBytes(seed)).toString().replace("-", "");
            for (int i = 0; i + 1 < plain.length(); i++) {
                char a = plain.charAt(i);
                char b = plain.charAt(i + 1);
                if (a == b) {
                    continue;
                }
                String swapped = plain.substring(0, i) + b + a + plain.substring(i + 2);
                boolean lastOfGroupAndCheck = (i + 1) % DeviceIdForm.GROUP_LENGTH == DeviceIdForm.GROUP_DATA;
                boolean blindPair = (a == 'A' && b == '7') || (a == '7' && b == 'A');
                swaps++;
                try {
                    DeviceId.parse(swapped);
                    assertThat(blindPair || lastOfGroupAndCheck || (i + 1) % DeviceIdForm.GROUP_LENGTH == 0)
                            .as("swap at %d of %c%c went unnoticed", i, a, b).isTrue();
                } catch (IllegalArgumentException e) {
                    caught++;
                }
            }
        }
        // Inside a group every swap but A/7 is caught; across a group's end the check characters catch most.
        assertThat(caught).isGreaterThan(swaps * 95 / 100);
    }

    @Test
    void parse_saysWhatIsWrong() {
        String text = DeviceId.of(randomBytes(3)).toString();
        assertThatThrownBy(() -> DeviceId.parse(text.substring(1))).hasMessageContaining("has 56 letters and digits")
                .hasMessageContaining("this one 55");
        assertThatThrownBy(() -> DeviceId.parse("!" + text.substring(1))).hasMessageContaining("'!' is not a device ID character");
        char first = text.charAt(0);
        String typo = (first == 'Q' ? 'R' : 'Q') + text.substring(1);
        assertThatThrownBy(() -> DeviceId.parse(typo)).hasMessageContaining("blocks 1 and 2");
    }

    @Test
    void shortString_isTheFirstBlock() {
        DeviceId id = DeviceId.of(randomBytes(4));
        assertThat(id.shortString()).isEqualTo(id.toString().substring(0, 7));
    }

    private static byte[] randomBytes(int seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return b;
    }
}
