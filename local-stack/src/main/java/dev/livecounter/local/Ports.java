package dev.livecounter.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Free ports and waiting for a port to listen. */
public final class Ports {

    private Ports() {}

    /** Ports this JVM handed out: two services cannot share one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * Below Linux's ephemeral range (32768-60999), which the kernel also hands out as the source port of every
     * outgoing connection: a service binds its port only when its start-up ends, tens of seconds after the port
     * was chosen, and a port from that range could meanwhile be taken by any connection on the machine ("Port
     * already in use" under load).
     */
    private static final int FIRST = 20_000;
    private static final int LAST = 32_767;

    public static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
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
