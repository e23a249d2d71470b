package dev.livecounter.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free ports and waiting for a port to listen. */
public final class Ports {

    private Ports() {}

    /** Ports this JVM handed out: the OS may offer a just-closed port again, and two services cannot share one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    public static int free() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void awaitListening(int port, Duration timeout, ChildProcess owner) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) {
                throw new IllegalStateException(owner.name() + " exited; see " + owner.log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                ChildProcess.pause(Duration.ofMillis(100));
            }
        }
        throw new IllegalStateException(owner.name() + " did not listen on " + port + " within " + timeout);
    }
}
