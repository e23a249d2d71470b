package dev.livecounter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy with a latency profile, on real sockets: an upstream that answers each HTTP request with the target it
 * read, clients that speak keep-alive HTTP/1.1 through the proxy. Delays are asserted as lower bounds and as orders of
 * events, never as upper bounds.
 */
class FaultProxyLatencyTest {

    private static final String GET_ITEM = "DynamoDB_20120810.GetItem";
    private static final String QUERY = "DynamoDB_20120810.Query";
    private static final String TRANSACT = "DynamoDB_20120810.TransactWriteItems";

    private Upstream upstream;
    private FaultProxy proxy;

    @BeforeEach
    void upstream() throws IOException {
        upstream = new Upstream();
    }

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    /** A profile with a fixed delay (median = p99) for some targets and none for the rest. */
    private static DynamoDbLatencyProfile fixed(Map<String, Long> millis) {
        Map<String, DynamoDbLatencyProfile.Latency> byTarget = new java.util.HashMap<>();
        millis.forEach((target, ms) -> byTarget.put(target, new DynamoDbLatencyProfile.Latency(ms, ms, "test")));
        return DynamoDbLatencyProfile.of("test", byTarget, new DynamoDbLatencyProfile.Latency(0, 0, "test"));
    }

    private FaultProxy proxy(DynamoDbLatencyProfile profile) {
        proxy = new FaultProxy("127.0.0.1", upstream.port(), profile);
        return proxy;
    }

    @Test
    void aGetItemResponseArrivesNoSoonerThanItsDelay() throws IOException {
        proxy(fixed(Map.of(GET_ITEM, 400L)));
        try (Client client = new Client(proxy.port())) {
            long sent = System.nanoTime();
            assertEquals(GET_ITEM, client.call(GET_ITEM, "{\"TableName\":\"counters\"}"));
            assertTrue(System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(400), "held for its delay");
        }
    }

    @Test
    void eachRequestOnAKeepAliveConnectionWaitsItsOwnDelay() throws IOException {
        proxy(fixed(Map.of(GET_ITEM, 250L, QUERY, 0L)));
        try (Client client = new Client(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                long sent = System.nanoTime();
                assertEquals(GET_ITEM, client.call(GET_ITEM, "{\"n\":" + i + "}"));
                assertTrue(System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(250), "call " + i + " held");
                // a long body answered in several pieces, and a target with no delay between: neither shifts the next delay
                assertEquals(QUERY, client.call(QUERY, "x".repeat(100_000)));
            }
            assertEquals(1, upstream.connections(), "one connection carried them all");
        }
    }

    @Test
    void concurrentConnectionsAreNotSerialised() throws Exception {
        proxy(fixed(Map.of(TRANSACT, 3_000L)));
        try (Client slow = new Client(proxy.port()); Client fast = new Client(proxy.port())) {
            CompletableFuture<String> transaction = CompletableFuture.supplyAsync(() -> slow.callUnchecked(TRANSACT, "{}"));
            assertEquals(TRANSACT, upstream.seen.poll(10, TimeUnit.SECONDS), "the transaction reached the server");
            // the transaction's answer is being held now; a call on another connection goes past it
            assertEquals(GET_ITEM, fast.call(GET_ITEM, "{}"));
            assertFalse(transaction.isDone(), "the GetItem was answered while the transaction was still held");
            assertEquals(TRANSACT, transaction.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aNewProfileAppliesToTheNextRequestOnConnectionsAlreadyOpen() throws IOException {
        proxy(DynamoDbLatencyProfile.NONE);
        try (Client client = new Client(proxy.port())) {
            assertEquals(GET_ITEM, client.call(GET_ITEM, "{}"));
            proxy.latency(fixed(Map.of(GET_ITEM, 300L)));
            long sent = System.nanoTime();
            assertEquals(GET_ITEM, client.call(GET_ITEM, "{}"));
            assertTrue(System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(300));
            assertEquals(1, upstream.connections());
        }
    }

    @Test
    void aCutDropsAHeldResponseAndRestoreLetsCallsThroughAgain() throws Exception {
        proxy(fixed(Map.of(GET_ITEM, 2_000L, QUERY, 0L)));
        try (Client held = new Client(proxy.port())) {
            held.send(GET_ITEM, "{}");
            assertEquals(GET_ITEM, upstream.seen.poll(10, TimeUnit.SECONDS));
            proxy.cut();
            assertThrows(IOException.class, held::readResponse, "the held answer never comes: the connection is gone");
        }
        proxy.restore();
        try (Client client = new Client(proxy.port())) {
            assertEquals(QUERY, client.call(QUERY, "{}"));
        }
    }

    @Test
    void aPlainProxyFollowsNothing() throws IOException {
        proxy = new FaultProxy("127.0.0.1", upstream.port());
        assertNull(proxy.latency());
        assertThrows(IllegalStateException.class, () -> proxy.latency(DynamoDbLatencyProfile.aws()));
        try (Client client = new Client(proxy.port())) {
            assertEquals(TRANSACT, client.call(TRANSACT, "{}"));
        }
    }

    @Test
    void theAwsProfileDrawsAroundItsMedianAndP99() {
        DynamoDbLatencyProfile.Latency transact = DynamoDbLatencyProfile.aws().latency(TRANSACT);
        Random random = new Random(24);
        double[] millis = new double[20_000];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = transact.sampleNanos(random) / 1e6;
        }
        java.util.Arrays.sort(millis);
        double median = millis[millis.length / 2];
        double p99 = millis[(int) (millis.length * 0.99)];
        assertTrue(Math.abs(median - 32) < 32 * 0.05, "median " + median);
        assertTrue(Math.abs(p99 - 98) < 98 * 0.1, "p99 " + p99);
        assertTrue(millis[millis.length - 1] <= 3 * 98, "capped at 3 x p99: " + millis[millis.length - 1]);
        assertEquals(7.5, DynamoDbLatencyProfile.aws().latency("DynamoDB_20120810.UpdateItem").medianMillis());
        assertEquals(0, DynamoDbLatencyProfile.aws().sampleNanos(null), "not an API call: no delay");
        assertTrue(DynamoDbLatencyProfile.aws().latency("DynamoDB_20120810.DescribeTable").medianMillis() > 0,
                "any other call is delayed as well");
    }

    /** A keep-alive HTTP/1.1 client of one connection; answers are framed by Content-Length. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String target, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: " + target
                    + "\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }

        String readResponse() throws IOException {
            return new String(Http.readMessage(in).body(), StandardCharsets.UTF_8);
        }

        String call(String target, String body) throws IOException {
            send(target, body);
            String answer = readResponse();
            return answer.substring(0, answer.indexOf('|'));
        }

        String callUnchecked(String target, String body) {
            try {
                return call(target, body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Reads one HTTP message (head, then a Content-Length body) from a stream; fails at its end. */
    private static final class Http {
        record Message(String head, byte[] body) {}

        static Message readMessage(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the stream ended before a whole message");
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("the stream ended inside a body");
            }
            return new Message(text, body);
        }
    }

    /**
     * The server behind the proxy: answers each request at once with {@code <its target>|<its body's length>} and a
     * padding that makes a large answer come in several pieces, and tells the test each target it read.
     */
    private static final class Upstream implements AutoCloseable {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();

        Upstream() throws IOException {
            Thread acceptor = new Thread(this::accept, "test-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        synchronized int connections() {
            return accepted.size();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    synchronized (this) {
                        accepted.add(socket);
                    }
                    Thread serve = new Thread(() -> serve(socket), "test-upstream-connection");
                    serve.setDaemon(true);
                    serve.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                while (true) {
                    Http.Message request = Http.readMessage(in);
                    String target = "";
                    for (String line : request.head().split("\r\n")) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("x-amz-target:")) {
                            target = line.substring(line.indexOf(':') + 1).trim();
                        }
                    }
                    seen.add(target);
                    String padding = request.body().length > 10_000 ? "p".repeat(200_000) : "";
                    byte[] body = (target + "|" + request.body().length + padding).getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException endOfConnection) {
                // the client or the proxy closed it
            }
        }

        @Override
        public synchronized void close() {
            try {
                server.close();
                for (Socket socket : accepted) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
