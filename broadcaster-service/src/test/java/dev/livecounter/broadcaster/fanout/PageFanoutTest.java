package dev.livecounter.broadcaster.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.testing.ManualScheduler;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What pages see of a counter's changes: each frame once, the newest, never a version going back. The coalescing
 * interval passes only when a test moves the clock; a page's loop has run everything queued to it once a task
 * queued after them has run ({@link #drained}).
 */
class PageFanoutTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final ManualScheduler clock = new ManualScheduler();
    private final PageFanout fanout =
            new PageFanout(INTERVAL, UnpooledByteBufAllocator.DEFAULT, new SimpleMeterRegistry(), clock);

    @AfterEach
    void stop() {
        fanout.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void everyPageOfTheCounterGetsTheChangeOnItsOwnLoop() {
        List<RecordingPage> pages = List.of(page("home"), page("home"), page("home"), page("other"));
        fanout.offer(snapshot("home", 1));
        pages.forEach(PageFanoutTest::drained);
        pages.subList(0, 3).forEach(page -> assertEquals(List.of(1L), page.versions()));
        pages.subList(0, 3).forEach(page -> assertTrue(page.writtenOnItsLoop));
        assertEquals(List.of(), pages.get(3).versions());
        assertEquals(3, pages.stream().mapToInt(page -> page.flushes).sum());
    }

    @Test
    void aLoneChangeIsWrittenToThePagesWithoutWaitingForTheInterval() {
        List<RecordingPage> pages = List.of(page("home"), page("home"));
        fanout.offer(snapshot("home", 1));
        // the clock never moved: the frame was queued to the pages' loops before offer returned
        pages.forEach(PageFanoutTest::drained);
        pages.forEach(page -> assertEquals(List.of(1L), page.versions()));
    }

    @Test
    void aBurstWithinOneIntervalIsAtMostTwoFramesTheLastTheNewest() {
        RecordingPage page = page("home");
        for (long version = 1; version <= 10; version++) {
            fanout.offer(snapshot("home", version));
            clock.advance(Duration.ofMillis(3)); // 10 changes in 30 ms: inside one interval
            if (version == 6) {
                fanout.offer(snapshot("home", 4)); // an older copy (the stream's, a peer's): never goes out
            }
        }
        drained(page);
        assertEquals(List.of(1L), page.versions(), "the first at once; the rest waits for the interval's end");
        clock.advance(INTERVAL);
        drained(page);
        assertEquals(List.of(1L, 10L), page.versions());
        assertEquals("{\"type\":\"count\",\"counter\":\"home\",\"visits\":10,\"online\":1,\"value\":10,\"version\":10,"
                + "\"uniqueToday\":1}", page.frames.get(1).text());
        clock.advance(INTERVAL.multipliedBy(5));
        fanout.offer(snapshot("home", 11));
        drained(page);
        assertEquals(List.of(1L, 10L, 11L), page.versions(), "after a quiet interval a change goes at once again");
    }

    @Test
    void aChangeThisReplicaAlreadyHadCostsNoFrameEvenAfterAQuietInterval() {
        RecordingPage page = page("home");
        fanout.offer(snapshot("home", 5));
        clock.advance(INTERVAL.multipliedBy(3)); // the coalescer has forgotten the counter
        fanout.offer(snapshot("home", 5)); // the stream's copy of a press posted at once
        fanout.offer(snapshot("home", 3));
        clock.advance(INTERVAL.multipliedBy(3));
        drained(page);
        assertEquals(List.of(5L), page.versions());
        assertEquals(1, page.offered, "the late copies were not even handed to the page's sink");
    }

    @Test
    void anOlderVersionThanOneShownIsNeverSent() {
        RecordingPage page = page("home");
        fanout.welcome(page, snapshot("home", 5));
        drained(page);
        assertEquals(List.of(5L), page.versions());
        fanout.offer(snapshot("home", 4));
        fanout.offer(snapshot("home", 6));
        clock.advance(INTERVAL);
        drained(page);
        assertEquals(List.of(5L, 6L), page.versions());
        fanout.welcome(page, snapshot("home", 2));
        fanout.offer(snapshot("home", 7));
        clock.advance(INTERVAL);
        drained(page);
        assertEquals(List.of(5L, 6L, 7L), page.versions());
    }

    @Test
    void aClosedPageGetsNothingMore() {
        RecordingPage stays = page("home");
        RecordingPage leaves = page("home");
        fanout.unsubscribe(leaves);
        fanout.offer(snapshot("home", 1));
        drained(stays);
        drained(leaves);
        assertEquals(List.of(1L), stays.versions());
        // the task that wrote to the page that stays ran after the unsubscribe queued on the same loop
        assertEquals(List.of(), leaves.versions());
    }

    private RecordingPage page(String counter) {
        RecordingPage page = new RecordingPage(counter, loops.next());
        fanout.subscribe(page);
        return page;
    }

    /** Returns once {@code page}'s loop has run every task queued to it before this call. */
    private static void drained(RecordingPage page) {
        try {
            page.eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the page's loop did not run its tasks", e);
        }
    }

    private static CounterSnapshot snapshot(String counter, long version) {
        return new CounterSnapshot(counter, version, 1, version, version, 1);
    }
}
