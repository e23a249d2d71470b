package dev.livecounter.common.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Batches of one lane: calls that wait while a write is under way go together, within the limits given. */
class GroupCommitTest {

    /** Records each batch; the first write of a lane waits until released, so calls pile up behind it. */
    private static final class Recorder implements GroupCommit.Writer<String, String> {
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public List<String> write(String lane, List<String> calls) {
            batches.add(calls);
            await(release);
            return calls.stream().map(c -> lane + ":" + c).toList();
        }
    }

    @Test
    void callsArrivingDuringAWriteGoInTheNextBatchTogetherAndEachGetsItsResult() {
        Recorder writer = new Recorder();
        try (GroupCommit<String, String> commits =
                new GroupCommit<>("t", 1, GroupCommit.Limits.calls(100), n -> { }, writer)) {
            CompletableFuture<String> first = commits.submit("a", "0");
            awaitBatches(writer, 1);
            List<CompletableFuture<String>> waiting = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                waiting.add(commits.submit("a", Integer.toString(i)));
            }
            writer.release.countDown();

            assertEquals("a:0", first.join());
            for (int i = 1; i <= 10; i++) {
                assertEquals("a:" + i, waiting.get(i - 1).join());
            }
            assertEquals(List.of(List.of("0"), List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")),
                    writer.batches);
        }
    }

    @Test
    void aLaneOfCallsThatShareNoItemHasUpToItsBatchesInFlightAtOnceAndTheRestWaitTogether() {
        Recorder writer = new Recorder();
        try (GroupCommit<String, String> commits =
                new GroupCommit<>("t", 4, GroupCommit.Limits.<String>calls(100).inFlight(2), n -> { }, writer)) {
            CompletableFuture<String> first = commits.submit("calls", "0");
            awaitBatches(writer, 1);
            CompletableFuture<String> second = commits.submit("calls", "1");
            awaitBatches(writer, 2); // a second batch of the lane under way beside the first, not waiting for it
            List<CompletableFuture<String>> waiting = new ArrayList<>();
            for (int i = 2; i <= 6; i++) {
                waiting.add(commits.submit("calls", Integer.toString(i)));
            }
            writer.release.countDown();

            assertEquals("calls:0", first.join());
            assertEquals("calls:1", second.join());
            waiting.forEach(CompletableFuture::join);
            assertEquals(List.of("2", "3", "4", "5", "6"), writer.batches.get(2),
                    "what waited went in the next batch, together: " + writer.batches);
            assertEquals(3, writer.batches.size(), "and no empty batch was written: " + writer.batches);
        }
    }

    @Test
    void aBatchHoldsOneCallPerExclusiveKeyAndStaysWithinItsSizeAndWeight() {
        Recorder writer = new Recorder();
        try (GroupCommit<String, String> commits = new GroupCommit<>("t", 1,
                GroupCommit.Limits.<String>calls(3).weighed(c -> c.startsWith("heavy") ? 2 : 1, 4)
                        .exclusive(c -> List.of(c.substring(0, 1))),
                n -> { }, writer)) {
            commits.submit("a", "block");
            awaitBatches(writer, 1);
            List<CompletableFuture<String>> all = new ArrayList<>();
            for (String call : List.of("x1", "x2", "heavy1", "y", "z", "w")) {
                all.add(commits.submit("a", call));
            }
            writer.release.countDown();
            all.forEach(CompletableFuture::join);
        }
        // x2 shares x1's key; heavy1 weighs 2: x1 + heavy1 + y would weigh 4 (the most), and 3 calls is a batch
        assertEquals(List.of("x1", "heavy1", "y"), writer.batches.get(1));
        assertEquals(List.of("x2", "z", "w"), writer.batches.get(2));
    }

    @Test
    void aFailedWriteFailsEveryCallOfItsBatchAndTheLaneGoesOn() {
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<String, String> commits = new GroupCommit<>("t", 2, GroupCommit.Limits.calls(10), n -> { },
                (lane, calls) -> {
                    if (calls.contains("bad")) {
                        throw new IllegalStateException("database down");
                    }
                    written.addAll(calls);
                    return calls;
                })) {
            CompletionException failed = assertThrows(CompletionException.class, () -> commits.submit("a", "bad").join());
            assertTrue(failed.getCause() instanceof IllegalStateException);
            assertEquals("fine", commits.submit("a", "fine").join());
            assertEquals(List.of("fine"), written);
        }
    }

    @Test
    void afterCloseACallIsRefused() {
        GroupCommit<String, String> commits =
                new GroupCommit<>("t", 1, GroupCommit.Limits.calls(10), n -> { }, (l, c) -> c);
        commits.close();
        CompletionException refused = assertThrows(CompletionException.class, () -> commits.submit("a", "x").join());
        assertTrue(refused.getCause() instanceof IllegalStateException);
    }

    private static void awaitBatches(Recorder writer, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.batches.size() < n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(n, writer.batches.size());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
