package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The UDP and TCP listeners end up on one port number, moving together when the TCP one is taken. */
class SamePortTest {
    private final List<Integer> udpBound = new ArrayList<>();
    private final List<Integer> udpClosed = new ArrayList<>();
    private int nextUdp = 40000;

    private Integer bindUdp() {
        udpBound.add(nextUdp);
        return nextUdp++;
    }

    @Test
    void anEphemeralPortTakenOnTcpMovesBothListeners() {
        SamePort.Bound<Integer, String> b = SamePort.bind(true, this::bindUdp, p -> p, udpClosed::add, port -> {
            if (port < 40002) {
                throw sneaky(new BindException("bind(..) failed: Address already in use"));
            }
            return "tcp:" + port;
        });
        assertEquals(40002, b.udp());
        assertEquals("tcp:40002", b.tcp());
        assertEquals(List.of(40000, 40001), udpClosed, "the UDP listeners whose number was taken are released");
    }

    @Test
    void aConfiguredPortTakenOnTcpFailsAtOnce() {
        assertThrows(IllegalStateException.class, () -> SamePort.bind(false, this::bindUdp, p -> p, udpClosed::add, port -> {
            throw sneaky(new BindException("Address already in use"));
        }));
        assertEquals(List.of(40000), udpBound);
        assertEquals(List.of(40000), udpClosed);
    }

    @Test
    void otherFailuresAreNotRetried() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamePort.bind(true, this::bindUdp,
                p -> p, udpClosed::add, port -> {
                    throw new IllegalArgumentException("bad certificate");
                }));
        assertEquals("bad certificate", e.getMessage());
        assertEquals(List.of(40000), udpClosed);
    }

    @Test
    void theAttemptsAreBounded() {
        assertThrows(IllegalStateException.class, () -> SamePort.bind(true, this::bindUdp, p -> p, udpClosed::add, port -> {
            throw sneaky(new BindException("Address already in use"));
        }));
        assertEquals(SamePort.ATTEMPTS, udpClosed.size());
    }

    /** Throws a checked exception unchecked, as Netty's bind().sync() does. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
