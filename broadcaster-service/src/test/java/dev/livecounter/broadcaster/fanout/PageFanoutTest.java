package dev.livecounter.broadcaster.fanout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.model.CounterSnapshot;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What pages see of a counter's changes: each frame once, the newest, never a version going back. */
class PageFanoutTest {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final PageFanout fanout = new PageFanout(Duration.ofSeconds(1), UnpooledByteBufAllocator.DEFAULT, new SimpleMeterRegistry());

    @AfterEach
    void stop() {
        fanout.close();
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void everyPageOfTheCounterGetsTheChangeOnItsOwnLoop() {
        List<RecordingPage> pages = List.of(page("home"), page("home"), page("home"), page("other"));
        fanout.offer(snapshot("home", 1));
        await().until(() -> pages.subList(0, 3).stream().allMatch(page -> page.versions().equals(List.of(1L))));
        pages.subList(0, 3).forEach(page -> assertTrue(page.writtenOnItsLoop));
        assertEquals(List.of(), pages.get(3).versions());
        assertEquals(3, pages.stream().mapToInt(page -> page.flushes).sum());
    }

    @Test
    void aBurstBecomesTheFirstChangeAndThenTheNewest() {
        RecordingPage page = page("home");
        fanout.offer(snapshot("home", 1));
        await().until(() -> page.versions().equals(List.of(1L)));
        // within the coalescing interval after the first frame: held back, and only the newest goes
        fanout.offer(snapshot("home", 2));
        fanout.offer(snapshot("home", 3));
        await().until(() -> page.versions().contains(3L));
        assertEquals(List.of(1L, 3L), page.versions());
        assertEquals("{\"type\":\"count\",\"counter\":\"home\",\"visits\":3,\"online\":1,\"value\":3,\"version\":3,"
                + "\"uniqueToday\":1}", page.frames.get(1).text());
    }

    @Test
    void anOlderVersionThanOneShownIsNeverSent() {
        RecordingPage page = page("home");
        fanout.welcome(page, snapshot("home", 5));
        await().until(() -> page.versions().equals(List.of(5L)));
        fanout.offer(snapshot("home", 4));
        fanout.offer(snapshot("home", 6));
        await().until(() -> page.versions().equals(List.of(5L, 6L)));
        fanout.welcome(page, snapshot("home", 2));
        fanout.offer(snapshot("home", 7));
        await().until(() -> page.versions().equals(List.of(5L, 6L, 7L)));
    }

    @Test
    void aClosedPageGetsNothingMore() {
        RecordingPage stays = page("home");
        RecordingPage leaves = page("home");
        fanout.unsubscribe(leaves);
        fanout.offer(snapshot("home", 1));
        await().until(() -> stays.versions().equals(List.of(1L)));
        // the task that wrote to the page that stays ran after the unsubscribe queued on the same loop
        assertEquals(List.of(), leaves.versions());
    }

    private RecordingPage page(String counter) {
        RecordingPage page = new RecordingPage(counter, loops.next());
        fanout.subscribe(page);
        return page;
    }

    private static CounterSnapshot snapshot(String counter, long version) {
        return new CounterSnapshot(counter, version, 1, version, version, 1);
    }
}
