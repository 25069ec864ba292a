package dev.jmoq.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void durationsParseUnitsAndCombinations() throws Exception {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(5), Durations.parse("5s"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d"));
        assertEquals(Duration.ofNanos(1500), Durations.parse("1us500ns"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("PT2S"));
        assertThrows(InvalidValue.class, () -> Durations.parse("5"));
        assertThrows(InvalidValue.class, () -> Durations.parse("s"));
        assertThrows(InvalidValue.class, () -> Durations.parse(""));
        assertThrows(InvalidValue.class, () -> Durations.parse("5 s"));
        assertThrows(InvalidValue.class, () -> Durations.parse("99999999999999999999d"));
    }

    @Test
    void durationsFormatToTheirShortestExactForm() throws Exception {
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1d2h", Durations.format(Duration.ofHours(26)));
        assertEquals("1s500us", Durations.format(Duration.ofNanos(1_000_500_000)));
        for (String s : new String[] {"1d2h3m4s5ms", "7ns", "42s"}) {
            assertEquals(s, Durations.format(Durations.parse(s)));
        }
    }

    @Test
    void sizesParseBinaryAndDecimalUnits() throws Exception {
        assertEquals(512L << 20, Sizes.parse("512MiB"));
        assertEquals(512L << 20, Sizes.parse("512 mib"));
        assertEquals(64L << 10, Sizes.parse("64KiB"));
        assertEquals(1_000_000_000L, Sizes.parse("1GB"));
        assertEquals(100, Sizes.parse("100"));
        assertEquals(100, Sizes.parse("100B"));
        assertThrows(InvalidValue.class, () -> Sizes.parse("MiB"));
        assertThrows(InvalidValue.class, () -> Sizes.parse("1.5MiB"));
        assertThrows(InvalidValue.class, () -> Sizes.parse("10 parsecs"));
        assertThrows(InvalidValue.class, () -> Sizes.parse("9999999TiB"));
    }

    @Test
    void sizesFormatWithTheLargestExactUnit() {
        assertEquals("512MiB", Sizes.format(512L << 20));
        assertEquals("1536KiB", Sizes.format(1536L << 10));
        assertEquals("1000B", Sizes.format(1000));
        assertEquals("0B", Sizes.format(0));
    }

    @Test
    void hostPortsAcceptIpv6InBrackets() throws Exception {
        assertEquals(new HostPort("::1", 9090), HostPort.parse("[::1]:9090"));
        assertEquals(new HostPort("127.0.0.1", 0), HostPort.parse("127.0.0.1:0"));
        assertEquals("[::1]:9090", HostPort.format("::1", 9090));
        assertThrows(InvalidValue.class, () -> HostPort.parse(":9090"));
        assertThrows(InvalidValue.class, () -> HostPort.parse("host:"));
    }
}
