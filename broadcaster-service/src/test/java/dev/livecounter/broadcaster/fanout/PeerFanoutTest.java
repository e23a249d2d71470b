package dev.livecounter.broadcaster.fanout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.broadcaster.replica.PeerPosts;
import dev.livecounter.broadcaster.replica.ReplicaRegistry.Replica;
import dev.livecounter.common.broadcast.BroadcastPosts;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.security.InternalSettings;
import dev.livecounter.common.security.InternalSignature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.client.HttpClient;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A change on its way to the other replicas: posted, signed, to every live peer (over real HTTP), offered to this
 * replica's own pages; presses coalesced per counter; a peer that is away costs a counted failure, not the others.
 */
class PeerFanoutTest {

    private final List<Peer> peers = List.of(new Peer(), new Peer());
    private final URI away = URI.create("http://127.0.0.1:" + freePort());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PageFanout pages = new PageFanout(Duration.ofMillis(10), UnpooledByteBufAllocator.DEFAULT, meters);
    private final HttpClient http = HttpClient.create(null);
    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
    private final PeerFanout fanout = new PeerFanout(pages,
            new PeerPosts(
                    () -> List.of(new Replica("a", peers.get(0).uri()), new Replica("b", peers.get(1).uri()), new Replica("away", away)),
                    new BroadcastPosts(http, new InternalSettings("a-secret-of-the-install", null, null, 1000, false, false),
                            JsonMapper.createDefault())),
            new BroadcasterSettings(null, null, List.of(URI.create("http://c")), List.of(URI.create("http://c")), Duration.ofMillis(200),
                    Duration.ofSeconds(2), Duration.ofSeconds(10), null),
            meters);

    @AfterEach
    void stop() {
        fanout.stop();
        pages.close();
        http.close();
        peers.forEach(Peer::close);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aStreamChangeGoesToThisReplicasPagesAndToEveryPeerSigned() {
        RecordingPage page = new RecordingPage("home", loops.next());
        pages.subscribe(page);
        fanout.streamChange(snapshot("home", 7));
        await().until(() -> peers.stream().allMatch(peer -> peer.bodies.size() == 1));
        for (Peer peer : peers) {
            assertTrue(peer.bodies.get(0).contains("\"counter\":\"home\"") && peer.bodies.get(0).contains("\"version\":7"),
                    peer.bodies.get(0));
            assertTrue(peer.signatures.get(0).startsWith("t="), "signed as an internal call: " + peer.signatures.get(0));
        }
        await().until(() -> page.versions().equals(List.of(7L)));
        await().until(() -> meters.counter("livecounter.broadcast.peer.failures").count() == 1.0);
    }

    @Test
    void pressesToPeersAreCoalescedPerCounterAndTheNewestAlwaysGoes() {
        for (long version = 1; version <= 20; version++) {
            fanout.pressApplied(snapshot("home", version));
        }
        await().until(() -> peers.stream().allMatch(peer -> !peer.bodies.isEmpty()
                && peer.bodies.get(peer.bodies.size() - 1).contains("\"version\":20")));
        for (Peer peer : peers) {
            assertTrue(peer.bodies.size() < 20, "coalesced: " + peer.bodies.size() + " posts for 20 presses");
        }
    }

    private static CounterSnapshot snapshot(String counter, long version) {
        return new CounterSnapshot(counter, version, 1, version, version, 1);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A peer replica's broadcast endpoint: records what is posted to it. */
    private static final class Peer {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<String> signatures = new CopyOnWriteArrayList<>();
        final HttpServer server;

        Peer() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/internal/broadcast", exchange -> {
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                signatures.add(String.valueOf(exchange.getRequestHeaders().getFirst(InternalSignature.HEADER)));
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
            });
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void close() {
            server.stop(0);
        }
    }
}
