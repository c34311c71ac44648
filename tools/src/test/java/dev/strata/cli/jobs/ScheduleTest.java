package dev.strata.cli.jobs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant at(String localBerlin) {
        return localBerlin.equals("never") ? null : java.time.LocalDateTime.parse(localBerlin).atZone(BERLIN).toInstant();
    }

    /** schedule | last run | now | due? | next run (Berlin local times). */
    @ParameterizedTest(name = "{0}, last {1}, now {2}: due {3}, next {4}")
    @CsvSource(delimiter = '|', textBlock = """
            every 1h        | never               | 2026-12-07T10:00:00 | true  | 2026-12-07T10:00:00
            every 1h        | 2026-12-07T09:30:00 | 2026-12-07T10:00:00 | false | 2026-12-07T10:30:00
            every 1h        | 2026-12-07T09:00:00 | 2026-12-07T10:00:00 | true  | 2026-12-07T10:00:00
            every 1h30m     | 2026-12-07T09:00:00 | 2026-12-07T10:00:00 | false | 2026-12-07T10:30:00
            # a laptop asleep from 09:10 to 17:45: one run on waking, not eight
            every 1h        | 2026-12-07T09:00:00 | 2026-12-07T17:45:00 | true  | 2026-12-07T10:00:00
            every 1h        | 2026-12-07T17:45:00 | 2026-12-07T17:46:00 | false | 2026-12-07T18:45:00
            daily 02:30     | never               | 2026-12-07T10:00:00 | true  | 2026-12-07T10:00:00
            daily 02:30     | 2026-12-07T02:30:00 | 2026-12-07T10:00:00 | false | 2026-12-08T02:30:00
            daily 02:30     | 2026-12-07T01:00:00 | 2026-12-07T02:29:59 | false | 2026-12-07T02:30:00
            daily 02:30     | 2026-12-07T01:00:00 | 2026-12-07T02:30:00 | true  | 2026-12-07T02:30:00
            # switched off for three nights: due once at power-on, then at the next 02:30 after that run
            daily 02:30     | 2026-12-04T02:30:00 | 2026-12-07T09:00:00 | true  | 2026-12-05T02:30:00
            daily 02:30     | 2026-12-07T09:00:00 | 2026-12-07T09:00:01 | false | 2026-12-08T02:30:00
            # the slot on the day of the spring DST change (02:30 does not exist that night: 03:30)
            daily 02:30     | 2027-03-27T12:00:00 | 2027-03-28T12:00:00 | true  | 2027-03-28T03:30:00
            daily 02:30     | 2027-03-28T12:00:00 | 2027-03-29T02:00:00 | false | 2027-03-29T02:30:00
            weekly sun 03:00 | 2026-12-06T03:00:00 | 2026-12-07T09:00:00 | false | 2026-12-13T03:00:00
            weekly sun 03:00 | 2026-12-05T23:00:00 | 2026-12-06T02:59:00 | false | 2026-12-06T03:00:00
            weekly sunday 03:00 | 2026-11-20T10:00:00 | 2026-12-07T09:00:00 | true | 2026-11-22T03:00:00
            weekly mon 00:00 | 2026-12-07T00:00:00 | 2026-12-07T09:00:00 | false | 2026-12-14T00:00:00
            """)
    void due_isAPureFunctionOfTheLastRunAndTheClock(String text, String last, String now, boolean due, String next) {
        Schedule s = Schedule.parse(text);
        assertThat(s.due(at(last), at(now), BERLIN)).isEqualTo(due);
        assertThat(s.next(at(last), at(now), BERLIN)).isEqualTo(at(next));
    }

    @ParameterizedTest(name = "{0} is read back as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            every 1h          | every 1h
            every 90m         | every 1h30m
            EVERY 2d          | every 2d
            daily 2:30        | daily 02:30
            weekly Sun 3:00   | weekly sun 03:00
            weekly friday 23:59 | weekly fri 23:59
            """)
    void parse_readsWhatPeopleWrite(String text, String normal) {
        assertThat(Schedule.parse(text).text()).isEqualTo(normal);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            every hour       | 'every hour': the interval must look like 30m, 1h, 6h or 1d12h
            every 0h         | 'every 0h': the interval must look like 30m, 1h, 6h or 1d12h
            daily 24:00      | 'daily 24:00': 24:00 is not a time of day (00:00 to 23:59)
            weekly sonday 03:00 | 'weekly sonday 03:00': 'sonday' is not a day of the week (mon, tue, ... sun)
            hourly           | 'hourly' is not a schedule: write 'every 1h', 'daily 02:30' or 'weekly sun 03:00'
            """)
    void parse_explainsWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> Schedule.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
