package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input on the socket gets an error frame and the socket stays open; bad upgrades are refused. */
@ExtendWith(LiveSystem.Running.class)
class ProtocolIT {

    @Test
    void malformedUnknownAndBinaryFramesGetErrorFramesAndTheSocketStaysUsable() {
        String counter = LiveSystem.uniqueCounter("protocol");
        try (PageClient page = PageClient.open(LiveSystem.replica(0), counter, null)) {
            page.awaitCount(c -> c.online() == 1);
            page.send("{not json");
            assertTrue(page.awaitError("bad_request").path("message").asText().contains("JSON"));
            page.send("{\"action\":\"jump\"}");
            page.awaitError("unknown_action");
            page.sendBinary(PLUS.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            page.awaitError("unsupported_frame");
            page.send(PLUS);
            assertEquals(1, page.awaitCount(c -> c.value() == 1).value(), "only the valid press counted");
            assertTrue(page.isOpen());
        }
    }

    @Test
    void invalidCounterNameRefusesTheUpgrade() {
        URI bad = URI.create("ws://127.0.0.1:" + LiveSystem.replica(0) + "/ws?counter=%3Cscript%3E");
        assertEquals(400, PageClient.upgradeStatus(bad, null));
    }

    @Test
    void foreignOriginIsRefusedAndOwnOriginAllowed() {
        int port = LiveSystem.replica(0);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?counter=" + LiveSystem.uniqueCounter("origin"));
        assertEquals(403, PageClient.upgradeStatus(uri, "http://evil.example"));
        assertEquals(101, PageClient.upgradeStatus(uri, "http://127.0.0.1:" + port));
    }

    @Test
    void theOwnOriginIsSchemeHostAndPortNotTheHostAlone() {
        int port = LiveSystem.replica(0);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?counter=" + LiveSystem.uniqueCounter("scheme"));
        // this page is served over plain http: an https page of the same host and port is another origin
        assertEquals(403, PageClient.upgradeStatus(uri, "https://127.0.0.1:" + port));
        assertEquals(403, PageClient.upgradeStatus(uri, "http://127.0.0.1"));
        assertEquals(101, PageClient.upgradeStatus(uri, "http://127.0.0.1:" + port));
    }
}
