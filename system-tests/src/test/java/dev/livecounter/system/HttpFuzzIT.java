package dev.livecounter.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The HTTP inputs, fuzzed against the running services: any counter name in a REST path, any query on the
 * socket endpoint, any body to the internal endpoints gets a defined answer (a 2xx, or a 4xx with a reason),
 * never a 5xx. Bounded: a few hundred tries each.
 */
class HttpFuzzIT {

    private static final Set<Integer> UPGRADE_ANSWERS = Set.of(101, 400, 403, 429);

    @Property(tries = 300)
    void anyCounterNameGetsADefinedAnswer(@ForAll("names") String name) {
        URI base = LiveSystem.get().counterService().baseUri();
        String path = "/counters/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        for (String method : new String[] {"GET", "POST"}) {
            String suffix = method.equals("POST") ? "/increment" : "";
            int status = LiveSystem.internal(method, base.resolve(path + suffix), null).statusCode();
            assertTrue(status == 200 || status == 400 || status == 404 || status == 405,
                    method + " " + path + suffix + " -> " + status);
        }
    }

    @Property(tries = 200)
    void anySocketQueryGetsADefinedAnswer(@ForAll("names") String counter, @ForAll("names") String visit) {
        URI uri = URI.create("ws://127.0.0.1:" + LiveSystem.replica(0) + "/ws?counter="
                + URLEncoder.encode(counter, StandardCharsets.UTF_8) + "&visit="
                + URLEncoder.encode(visit, StandardCharsets.UTF_8));
        int status = PageClient.upgradeStatus(uri, null);
        assertTrue(UPGRADE_ANSWERS.contains(status), uri + " -> " + status);
    }

    @Property(tries = 200)
    void anyBodyToTheInternalEndpointsGetsADefinedAnswer(@ForAll("bodies") String body) {
        URI batch = LiveSystem.get().connectionService().baseUri().resolve("/connections");
        int batched = LiveSystem.internal("POST", batch, body).statusCode();
        assertTrue(batched == 200 || batched == 400 || batched == 415, "POST /connections " + body + " -> " + batched);
        URI closed = LiveSystem.get().connectionService().baseUri().resolve("/connections/closed");
        int closes = LiveSystem.internal("POST", closed, body).statusCode();
        assertTrue(closes == 200 || closes == 400 || closes == 415, "POST /connections/closed " + body + " -> " + closes);
        URI broadcast = URI.create("http://127.0.0.1:" + LiveSystem.replica(1) + "/internal/broadcast");
        int post = LiveSystem.internal("POST", broadcast, body).statusCode();
        assertTrue(post == 202 || post == 400, "POST /internal/broadcast " + body + " -> " + post);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(80),
                Arbitraries.strings().alpha().numeric().withChars('.', '_', '-', '%', '/', '\\', '#', '?').ofMaxLength(70),
                Arbitraries.of("home", "..", ".", "a".repeat(64), "a".repeat(65), "%00", "visit#home#x", "null"));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.of("{}", "null", "[]", "{\"counter\":\"home\"}",
                        "{\"counter\":\"home\",\"replicaId\":\"r\",\"visitId\":\"\"}",
                        "{\"counter\":\"no spaces\",\"replicaId\":\"r\",\"visitId\":\"v\"}",
                        "{\"counter\":1,\"replicaId\":[],\"visitId\":{}}",
                        "{\"counter\":\"home\",\"visits\":\"many\",\"version\":-1}",
                        "{\"counter\":\"" + "x".repeat(5000) + "\"}",
                        "{\"connectionIds\":[]}", "{\"connectionIds\":[null]}", "{\"connectionIds\":[\"a b\"]}",
                        "{\"connectionIds\":[\"fuzz-closed\",1,{}]}", "{\"connectionIds\":\"fuzz-closed\"}",
                        "{\"connects\":[]}", "{\"connects\":null}", "{\"connects\":[null]}", "{\"connects\":[{}]}",
                        "{\"connects\":[{\"connectionId\":\"a b\",\"request\":{\"counter\":\"home\",\"replicaId\":\"r\",\"visitId\":\"v\"}}]}",
                        "{\"connects\":[{\"connectionId\":\"fuzz-batch\",\"request\":{\"counter\":\"home\"}}]}",
                        "{\"connects\":[" + "{\"connectionId\":\"x\",\"request\":{}},".repeat(150) + "{}]}"));
    }
}
