package dev.livecounter.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of a server that a fault test can cut: while cut, open connections are dropped and new
 * ones are accepted but hear nothing back, as in a network partition (callers run into their timeouts, not a
 * quick "connection refused"). Restored, it forwards again.
 *
 * <p>Built with a {@link DynamoDbLatencyProfile} it also makes each DynamoDB call as slow as the profile says: it
 * follows each connection's requests ({@link RequestHeads}: the {@code X-Amz-Target} of each, where its body ends),
 * draws a delay for each, and holds the first byte of the response that follows back by it. A keep-alive HTTP/1.1
 * connection carries one request at a time (the SDK's clients do not pipeline), so the first response byte after a
 * request is that request's answer; each connection waits on its own thread, and concurrent calls on other
 * connections are not held up. Built without one, it is a plain pump.
 */
public final class FaultProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final boolean followsRequests;
    private volatile boolean cut;
    private volatile DynamoDbLatencyProfile latency;

    /** A plain proxy: bytes through as they come. */
    public FaultProxy(String targetHost, int targetPort) {
        this(targetHost, targetPort, null);
    }

    /**
     * A proxy that delays each DynamoDB call by {@code latency} (switchable later by {@link #latency(DynamoDbLatencyProfile)});
     * null: a plain proxy.
     */
    public FaultProxy(String targetHost, int targetPort, DynamoDbLatencyProfile latency) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.followsRequests = latency != null;
        this.latency = latency;
        try {
            this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "fault-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on nothing gets through; connections open now are dropped. */
    public void cut() {
        cut = true;
        sockets.forEach(FaultProxy::closeQuietly);
        sockets.clear();
    }

    public void restore() {
        cut = false;
    }

    public boolean isCut() {
        return cut;
    }

    /**
     * From the next request on, each call is delayed by {@code profile} ({@link DynamoDbLatencyProfile#NONE}: not at
     * all), on the connections open now too. Only for a proxy built with a profile.
     */
    public void latency(DynamoDbLatencyProfile profile) {
        if (!followsRequests) {
            throw new IllegalStateException("a plain proxy: build it with a latency profile");
        }
        this.latency = Objects.requireNonNull(profile);
    }

    /** The latency profile, or null for a plain proxy. */
    public DynamoDbLatencyProfile latency() {
        return latency;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                if (cut) {
                    continue; // accepted, never answered: held until restore or close
                }
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(upstream);
                if (followsRequests) {
                    // the delays drawn for this connection's requests, in order, each taken by its response
                    Queue<Long> delays = new ConcurrentLinkedQueue<>();
                    pump(client, upstream, requestTap(delays));
                    pump(upstream, client, responseTap(delays));
                } else {
                    pump(client, upstream, null);
                    pump(upstream, client, null);
                }
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Looks at bytes before they are forwarded; may hold them back. */
    private interface Tap {
        void before(byte[] buffer, int n) throws InterruptedException;
    }

    /**
     * The client's side: a delay for each request, queued as soon as its head is read, so before any of it reaches
     * the server and before its response can come.
     */
    private Tap requestTap(Queue<Long> delays) {
        RequestHeads heads = new RequestHeads();
        return (buffer, n) -> {
            if (!heads.failed()) {
                for (RequestHeads.Head head : heads.feed(buffer, 0, n)) {
                    delays.add(latency.sampleNanos(head.target()));
                }
            }
        };
    }

    /** The server's side: the first bytes after a request wait out that request's delay; the rest go straight on. */
    private static Tap responseTap(Queue<Long> delays) {
        return (buffer, n) -> {
            Long delay = delays.poll();
            if (delay != null && delay > 0) {
                TimeUnit.NANOSECONDS.sleep(delay);
            }
        };
    }

    private void pump(Socket from, Socket to, Tap tap) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while (!cut && (n = in.read(buffer)) >= 0) {
                    if (tap != null) {
                        tap.before(buffer, n);
                        if (cut) {
                            break; // cut while a response was held: it is dropped with the connection
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException closed) {
                // either side went away, or the proxy is closing
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "fault-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        cut();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
