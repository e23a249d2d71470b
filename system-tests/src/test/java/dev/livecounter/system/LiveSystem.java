package dev.livecounter.system;

import dev.livecounter.local.InternalCalls;
import dev.livecounter.local.LocalStack;
import dev.livecounter.local.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The system under test, started once per test run and shared by every test class: DynamoDB Local,
 * connection-service, counter-service and two broadcaster replicas, each its own process.
 */
public final class LiveSystem {

    private static LocalStack stack;
    /** A web site on this port (http://127.0.0.1:port) is on the broadcasters' allowed origins: the widget test. */
    private static final int ALLOWED_SITE_PORT = Ports.free();

    /** The trusted proxy header the broadcasters take client addresses from. */
    static final String CLIENT_IP_HEADER = "X-Forwarded-For";

    /** A socket silent (not even a pong) this long is closed by the broadcasters under test. */
    static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofSeconds(8);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The visit window and connection TTL of the system under test (30 minutes and a day in production). */
    static final java.time.Duration SHORT_TTL = java.time.Duration.ofSeconds(45);
    /**
     * How long an unused counter lives here (30 days in production); open sockets renew it every 5 s. Longer than
     * the visit window: a test whose page is away for a while (a replica restarting under it, 27 s once on a loaded
     * CI machine) must find its counter still there, or DynamoDB Local's TTL deletes it and the reconnect starts a
     * new one at 0 visits.
     */
    static final java.time.Duration COUNTER_EXPIRY = java.time.Duration.ofSeconds(60);

    /** How often connection-service's reconciler compares online with the live connections here (1 min in production). */
    static final java.time.Duration RECONCILE_PERIOD = java.time.Duration.ofSeconds(2);

    /** The key the broadcasters under test verify HS256 subscription tokens with. */
    static final String TOKEN_SECRET = "test-token-secret-0123456789abcdef0123456789";

    /** Streamed tables: {@code orders} (public, the example) and {@code scoped} (the same shape, token only). */
    static final String STREAMED_TABLES = "{\"livecounter\":{\"streamed-tables\":{"
            + "\"orders\":{\"attributes\":[\"item\",\"status\",\"total\",\"updatedAt\"],\"example\":true,\"writable\":true},"
            + "\"scoped\":{\"attributes\":[\"item\",\"status\",\"total\",\"updatedAt\"],\"access\":\"token\",\"example\":true,"
            + "\"snapshot-limit\":50}}}}";

    private LiveSystem() {}

    /** {@code @ExtendWith(LiveSystem.Running.class)}: the system is up before the class's first test. */
    public static final class Running implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            get();
        }
    }

    public static synchronized LocalStack get() {
        if (stack == null) {
            stack = dev.livecounter.faults.FaultSuite.stackForFaults()
                    .broadcasterEnv("LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS", "http://127.0.0.1:" + ALLOWED_SITE_PORT)
                    // as behind the ingress: test clients are told apart by this header (PageClient sets it)
                    .broadcasterEnv("LIVECOUNTER_LIMITS_CLIENT_IP_HEADER", CLIENT_IP_HEADER)
                    // dead sockets found in seconds rather than a minute, so a test can watch it happen
                    .broadcasterEnv("LIVECOUNTER_LIMITS_PING_INTERVAL", "2s")
                    .broadcasterEnv("LIVECOUNTER_LIMITS_IDLE_TIMEOUT", IDLE_TIMEOUT.toSeconds() + "s")
                    // a visit window and a connection TTL a test can outlive, and renewals well within them
                    .env("LIVECOUNTER_CONNECTIONS_VISIT_WINDOW", SHORT_TTL.toSeconds() + "s")
                    .env("LIVECOUNTER_CONNECTIONS_CONNECTION_TTL", SHORT_TTL.toSeconds() + "s")
                    .broadcasterEnv("LIVECOUNTER_LEASES_RENEWAL_INTERVAL", "5s")
                    // every test makes counters of its own: the budget of new ones is CounterCreationIT's to test
                    .env("LIVECOUNTER_COUNTERS_NEW_PER_MINUTE", "0")
                    .env("LIVECOUNTER_COUNTERS_EXPIRE_AFTER", COUNTER_EXPIRY.toSeconds() + "s")
                    // counts that heal within seconds, so a test can watch a drift corrected (CountsThatHealIT)
                    .env("LIVECOUNTER_RECONCILE_PERIOD", RECONCILE_PERIOD.toSeconds() + "s")
                    // the example orders table, and a copy of it that only a signed token may subscribe to
                    .broadcasterEnv("MICRONAUT_APPLICATION_JSON", STREAMED_TABLES)
                    .broadcasterEnv("LIVECOUNTER_TOKENS_HMAC_SECRET", TOKEN_SECRET)
                    .start();
            System.out.printf("[live-system] local stack healthy in %d ms%n", stack.startupTime().toMillis());
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "live-system-stop"));
            long started = System.nanoTime();
            awaitStreamLive();
            System.out.printf("[live-system] stream live %d ms later%n", (System.nanoTime() - started) / 1_000_000);
        }
        return stack;
    }

    /**
     * The whole loop runs: a press on replica 2 reaches a page on replica 1 (the direct path), and a change by an
     * outside writer reaches it too, which only the stream brings (KCL's first start, or a lease that moves after a
     * replica restart).
     */
    private static void awaitStreamLive() {
        String counter = uniqueCounter("warmup");
        try (PageClient watcher = PageClient.open(stack.broadcaster(0).port(), counter, null);
                PageClient presser = PageClient.open(stack.broadcaster(1).port(), counter, null);
                dev.livecounter.local.OutsideWriter outsider = new dev.livecounter.local.OutsideWriter(stack)) {
            watcher.awaitCount("the other replica's socket", c -> c.online() == 2);
            presser.send("{\"action\":\"plus\"}");
            watcher.awaitCount("the other replica's press", c -> c.value() == 1);
            outsider.addToValue(counter, 10);
            watcher.awaitCount("an outside writer's change, through the stream", java.time.Duration.ofMinutes(3),
                    c -> c.value() == 11);
        }
    }

    /** The port of a site whose pages may open sockets from another origin (nothing listens there until a test does). */
    public static int allowedSitePort() {
        return ALLOWED_SITE_PORT;
    }

    /** Waits until a press on one replica reaches a page on the other again, e.g. after a replica restart. */
    public static synchronized void awaitLiveLoop() {
        get();
        awaitStreamLive();
    }

    public static int replica(int index) {
        return get().broadcaster(index).port();
    }

    public static String uniqueCounter(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A call to an internal endpoint signed with the shared secret, as the broadcaster makes it. */
    static HttpResponse<String> internal(String method, URI uri, String jsonBody) {
        return send(internalRequest(method, uri, jsonBody));
    }

    /**
     * The body of connection-service's connect route ({@code POST /connections}) for one socket: a batch of one, as the
     * broadcaster sends a socket that opens alone. Its answer is a list of one ({@code [{"result":{...}}]}).
     */
    static String connectBody(String connectionId, String counter, String replicaId, String visitId) {
        return "{\"connects\":[{\"connectionId\":\"" + connectionId + "\",\"request\":{\"counter\":\"" + counter
                + "\",\"replicaId\":\"" + replicaId + "\",\"visitId\":\"" + visitId + "\"}}]}";
    }

    /** The request {@link #internal} sends, signed now: to send it again verbatim, as a replaying attacker would. */
    static HttpRequest internalRequest(String method, URI uri, String jsonBody) {
        return InternalCalls.request(get().internalSecret(), method, uri, jsonBody).build();
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
