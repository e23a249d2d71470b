package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.local.InternalCalls;
import dev.livecounter.system.PageClient.Count;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica stalled past the reaper's timeout (SIGSTOP: a long GC pause, a starved pod, a partition) is reaped; when
 * it resumes, every page that is open is counted again, exactly once, and no visit moves. Its own system with the
 * production idle timeout (70 s): the shared one closes sockets silent for 8 s, which would hide the defect.
 */
class StalledReplicaIT {

    /** Past the reaper's two looks at a 10 s replica timeout, well within the 70 s idle timeout. */
    private static final Duration STALL = Duration.ofSeconds(25);
    @RegisterExtension
    static final OwnStack stack = new OwnStack(b -> b.broadcasters(2));
    private final List<PageClient> pages = new ArrayList<>();

    /** online of the counter as counter-service reads it (strongly consistent), without waiting for the stream. */
    private static long online(String counter) throws Exception {
        String body = LiveSystem.send(InternalCalls.request(stack.get().internalSecret(), "GET",
                        URI.create(stack.get().counterService().baseUri() + "/counters/" + counter), null)
                .build()).body();
        return PageClient.JSON.readTree(body).path("online").asLong();
    }

    @Test
    void aStalledReplicasPagesAreCountedAgainWhenItResumes() throws Exception {
        String counter = "stall-" + UUID.randomUUID().toString().substring(0, 8);
        int replica0 = stack.get().broadcaster(0).port();
        int replica1 = stack.get().broadcaster(1).port();
        try (PageClient watcher = PageClient.open(replica0, counter, null)) {
            List<String> visits = new ArrayList<>();
            PageClient[] stalled = new PageClient[5];
            for (int i = 0; i < stalled.length; i++) {
                visits.add("stall-" + UUID.randomUUID().toString().substring(0, 8));
                stalled[i] = PageClient.open(replica1, counter, visits.get(i));
                pages.add(stalled[i]);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> online(counter) == 6);

            try (Stall stall = Stall.of(stack.get().broadcaster(1))) {
                await("the stalled replica's sockets reaped").atMost(STALL).pollInterval(Duration.ofMillis(500))
                        .until(() -> online(counter) == 1);
                await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            }
            // resumed: a page whose socket is closed reconnects with its visit id, as the page's script does
            await("every open page counted again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        for (int i = 0; i < stalled.length; i++) {
                            if (!stalled[i].isOpen()) {
                                stalled[i] = PageClient.open(replica1, counter, visits.get(i));
                                pages.add(stalled[i]);
                            }
                        }
                        return online(counter) == 6;
                    });
            watcher.send(PLUS);
            Count settled = watcher.awaitCount("a press after it settled", c -> c.value() == 1);
            assertEquals(6, settled.online(), "the watcher and the five open pages, each once");
            assertEquals(6, settled.visits(), "reconnects with their visit ids are not new visits");
        } finally {
            pages.stream().filter(PageClient::isOpen).forEach(PageClient::close);
        }
    }
}
