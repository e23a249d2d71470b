package dev.livecounter.broadcaster.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.model.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The page checks a press id before it sends it: its copy of the id rule must be the servers' ({@link Ids}). */
class IdRuleTest {

    @Test
    void thePagesIdRuleIsTheServersRule() throws IOException {
        String client;
        try (InputStream in = IdRuleTest.class.getResourceAsStream("/public/assets/client.js")) {
            client = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(client.contains("/^" + Ids.RULE + "$/"),
                "client.js checks ids with /^" + Ids.RULE + "$/, the rule of common's Ids");
    }
}
