package dev.livecounter.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Free ports and waiting for a port to listen. */
public final class Ports {

    private Ports() {}

    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
