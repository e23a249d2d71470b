package dev.livecounter.broadcaster.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * One page's socket as fan-out sees it: the counter it shows, the event loop that owns it, and a place to put
 * encoded count frames. {@link #write} and {@link #flush} run on that event loop only, so the newest version
 * written needs no lock.
 */
public interface CountSink {

    String counter();

    EventLoop eventLoop();

    /**
     * Queues {@code frame} (a shared, encoded frame: the sink takes its own reference) unless this page already
     * has {@code version} or a newer one; does not flush.
     *
     * @return whether it was queued, so the caller flushes
     */
    boolean write(ByteBuf frame, long version);

    void flush();
}
