package dev.livecounter.broadcaster.fanout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.metrics.MetricNames;
import dev.livecounter.common.model.CounterSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The change -> frame latency is measured once per flushed frame, and a replaced change counts as coalesced. */
class PageFanoutMetricsTest {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final PageFanout fanout = new PageFanout(Duration.ofMillis(300), UnpooledByteBufAllocator.DEFAULT, meters);

    @AfterEach
    void stop() {
        fanout.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void eachFrameIsTimedAndABurstCountsItsReplacedChanges() {
        AtomicInteger flushes = new AtomicInteger();
        EventLoop loop = loops.next();
        fanout.subscribe(new CountSink() {
            long newest = -1;

            @Override
            public String counter() {
                return "home";
            }

            @Override
            public EventLoop eventLoop() {
                return loop;
            }

            @Override
            public boolean write(ByteBuf frame, long version) {
                if (version <= newest) {
                    return false;
                }
                newest = version;
                return true;
            }

            @Override
            public void flush() {
                flushes.incrementAndGet();
            }
        });
        Timer latency = meters.get(MetricNames.CHANGE_FRAME_LATENCY).timer();
        fanout.offer(snapshot(1));
        await().until(() -> latency.count() == 1);
        // within the interval: 2 and 3 wait, 3 replaces 2, one frame carries both; an old duplicate counts nothing
        fanout.offer(snapshot(2));
        fanout.offer(snapshot(3));
        fanout.offer(snapshot(1));
        await().until(() -> latency.count() == 2);
        assertEquals(2, flushes.get());
        assertEquals(1.0, meters.get(MetricNames.FANOUT_COALESCED).counter().count());
    }

    private static CounterSnapshot snapshot(long version) {
        return new CounterSnapshot("home", version, 1, 0, version, 1);
    }
}
