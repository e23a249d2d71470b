package dev.livecounter.system.ingress;

import dev.livecounter.system.ingress.IngressRules.Backend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small ingress controller for tests on 127.0.0.1: each request is routed by {@link IngressRules} to a port of
 * the Service the rule names, or answered 404 when no rule takes it.
 *
 * <p>A byte pipe after the decision, so a WebSocket upgrade passes as it would through ingress-nginx. So that every
 * request is decided on its own, a request that is not an upgrade is sent on with {@code Connection: close} (the
 * browser opens a new connection for the next one). As ingress-nginx does by default, the client's address is put
 * in {@code X-Forwarded-For}, replacing what the client sent. TLS is not spoken: the rules' {@code tls} is ignored.
 */
public final class IngressProxy implements AutoCloseable {

    private static final int MAX_HEAD = 16 * 1024;

    private final IngressRules rules;
    private final Function<Backend, List<Integer>> endpoints;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "ingress-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private int nextEndpoint;

    /**
     * @param endpoints the local ports serving a backend (as a Service's endpoints), empty when it has none
     */
    private IngressProxy(IngressRules rules, Function<Backend, List<Integer>> endpoints) throws IOException {
        this.rules = rules;
        this.endpoints = endpoints;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    public static IngressProxy start(IngressRules rules, Function<Backend, List<Integer>> endpoints) {
        try {
            IngressProxy proxy = new IngressProxy(rules, endpoints);
            proxy.threads.execute(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        Socket backend = null;
        try {
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            byte[] buffered = readHead(in);
            Request request = buffered == null ? null : Request.parse(buffered);
            if (request == null || request.host() == null) {
                respond(client, 400, "Bad Request");
                return;
            }
            Optional<Backend> route = rules.route(request.host(), request.target());
            if (route.isEmpty()) {
                respond(client, 404, "no Ingress rule for host " + request.host() + " path " + request.target());
                return;
            }
            List<Integer> ports = endpoints.apply(route.get());
            if (ports.isEmpty()) {
                respond(client, 503, "no endpoints for " + route.get());
                return;
            }
            backend = new Socket(InetAddress.getLoopbackAddress(), pick(ports));
            open.add(backend);
            client.setSoTimeout(0);
            String forwarded = client.getInetAddress().getHostAddress();
            backend.getOutputStream().write(request.rewrittenHead(forwarded));
            backend.getOutputStream().write(buffered, request.headLength(), buffered.length - request.headLength());
            pipe(client, backend);
        } catch (IllegalArgumentException e) {
            respond(client, 400, "Bad Request: " + e.getMessage());
        } catch (IOException e) {
            // the client or the backend went away: nothing to answer
        } finally {
            close(client);
            close(backend);
        }
    }

    /** Both ways until the backend is done; the client's end of input is passed on as a half-close. */
    private void pipe(Socket client, Socket backend) throws IOException {
        threads.execute(() -> {
            try {
                client.getInputStream().transferTo(backend.getOutputStream());
                backend.shutdownOutput();
            } catch (IOException e) {
                close(backend);
            }
        });
        backend.getInputStream().transferTo(client.getOutputStream());
    }

    private synchronized int pick(List<Integer> ports) {
        return ports.get(Math.floorMod(nextEndpoint++, ports.size()));
    }

    /** Everything read up to and including the blank line after the headers (maybe some body), or null. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (head.size() < MAX_HEAD) {
            int n = in.read(chunk);
            if (n < 0) {
                return null;
            }
            head.write(chunk, 0, n);
            if (Request.headEnd(head.toByteArray()) >= 0) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static void respond(Socket client, int status, String text) {
        byte[] body = (status + " " + text + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + (status == 404 ? "Not Found" : status == 400 ? "Bad Request" : "Service Unavailable")
                + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        try {
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            // the client is gone
        }
    }

    private void close(Socket socket) {
        if (socket != null) {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        new ArrayList<>(open).forEach(this::close);
        threads.shutdownNow();
    }
}
