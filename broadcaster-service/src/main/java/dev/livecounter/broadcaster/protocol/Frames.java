package dev.livecounter.broadcaster.protocol;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.model.CounterSnapshot;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The server's JSON text frames: {@code count} and {@code error}. */
public final class Frames {

    private static final ObjectMapper JSON = ObjectMapper.getDefault();

    private Frames() {}

    /**
     * {@code {"type":"count","counter":"home","visits":1234,"online":5,"value":-2,"version":99,"uniqueToday":7}}: the
     * snapshot's own JSON after its type, so a field the snapshot gains is on the wire without a change here.
     */
    public static String count(CounterSnapshot snapshot) {
        return write(new Count("count", snapshot));
    }

    /** {@code {"type":"error","code":"bad_request","message":"..."}} */
    public static String error(ErrorCode code, String message) {
        return write(new Error("error", code.code(), message));
    }

    /**
     * {@code {"type":"pending","id":"...","message":"..."}}: a press whose outcome is not known yet (counter-service
     * did not answer in time; it may still apply it). Not a failure: the page may send the same id again, which
     * counts once either way.
     */
    public static String pending(String id, String message) {
        return write(new Pending("pending", id, message));
    }

    /** {@code {"type":"error","code":"unavailable","id":"...","message":"..."}}: an error about one press. */
    public static String error(ErrorCode code, String id, String message) {
        return write(new PressError("error", code.code(), id, message));
    }

    private static String write(Object frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Serdeable
    record Count(String type, @JsonUnwrapped CounterSnapshot snapshot) {}

    @Serdeable
    record Error(String type, String code, String message) {}

    @Serdeable
    record Pending(String type, String id, String message) {}

    @Serdeable
    record PressError(String type, String code, String id, String message) {}
}
