package io.sensorpipe;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.BacklogDebugger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Camel's route debugger, as dev mode turns it on: it is there, but it opens no JMX connector (port
 * 1099 and an RMI port, unauthenticated): nothing answers on 1099, on loopback (so no listener on any
 * address) nor on this machine's other addresses.
 */
@QuarkusTest
@TestProfile(DebuggerJmxTest.DebuggerOn.class)
class DebuggerJmxTest {

    /** The debugger on, as in dev mode. */
    public static class DebuggerOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("camel.debug.enabled", "true");
        }
    }

    @Inject
    CamelContext context;

    @Test
    void theDebuggerOpensNoJmxPort() throws Exception {
        assertNotNull(context.hasService(BacklogDebugger.class), "the debugger is on, as in dev mode");
        List<InetAddress> addresses = new ArrayList<>(List.of(InetAddress.getLoopbackAddress()));
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                nic.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(addresses::add);
            }
        }
        for (InetAddress address : addresses) {
            assertThrows(ConnectException.class, () -> connect(address, 1099), "JMX connector on " + address);
        }
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
        }
    }
}
