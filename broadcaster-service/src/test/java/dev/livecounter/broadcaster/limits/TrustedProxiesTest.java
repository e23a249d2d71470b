package dev.livecounter.broadcaster.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void aPeerInsideABlockIsTrustedAndLoopbackIsNot() throws Exception {
        TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "192.168.1.0/24", "fc00::/7", ""));
        assertTrue(proxies.contains(ip("10.1.2.3")));
        assertTrue(proxies.contains(ip("192.168.1.200")));
        assertFalse(proxies.contains(ip("192.168.2.1")));
        assertFalse(proxies.contains(ip("127.0.0.1")), "a port-forward arrives from loopback");
        assertTrue(proxies.contains(ip("fd12::1")));
        assertFalse(proxies.contains(ip("::1")));
        assertFalse(proxies.any());
    }

    @Test
    void aMalformedBlockFailsStartUp() {
        assertThrows(IllegalArgumentException.class, () -> new TrustedProxies(List.of("ingress.local")));
        assertThrows(IllegalArgumentException.class, () -> new TrustedProxies(List.of("10.0.0.0/33")));
    }
}
