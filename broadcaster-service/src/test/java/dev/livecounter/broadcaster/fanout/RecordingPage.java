package dev.livecounter.broadcaster.fanout;

import dev.livecounter.broadcaster.protocol.FramePayload;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A page's socket in the fan-out tests: keeps what it was sent, checking the sink's contract (own loop, version order). */
final class RecordingPage implements CountSink {

    record Frame(long version, String text) {}

    final List<Frame> frames = new CopyOnWriteArrayList<>();
    volatile boolean writtenOnItsLoop = true;
    volatile int flushes;
    /** Frames handed to this sink, written or dropped by its version check. */
    volatile int offered;
    private final String counter;
    private final EventLoop loop;
    private long version = -1;

    RecordingPage(String counter, EventLoop loop) {
        this.counter = counter;
        this.loop = loop;
    }

    /** The versions written to it, in order. */
    List<Long> versions() {
        List<Long> versions = new ArrayList<>();
        frames.forEach(frame -> versions.add(frame.version()));
        return versions;
    }

    @Override
    public String counter() {
        return counter;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public boolean write(ByteBuf frame, long newVersion) {
        writtenOnItsLoop &= loop.inEventLoop();
        offered++;
        if (newVersion <= version) {
            return false;
        }
        version = newVersion;
        frames.add(new Frame(newVersion, FramePayload.of(frame.duplicate())));
        return true;
    }

    @Override
    public void flush() {
        flushes++;
    }
}
