package dev.livecounter.broadcaster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.model.CounterSnapshot;
import org.junit.jupiter.api.Test;

/** The server's frames, as a page reads them. */
class FramesTest {

    @Test
    void aCountFrameCarriesEveryFigureAndTheVersion() {
        assertEquals("{\"type\":\"count\",\"counter\":\"home\",\"visits\":1234,\"online\":5,\"value\":-2,\"version\":99,"
                        + "\"uniqueToday\":7}",
                Frames.count(new CounterSnapshot("home", 1234, 5, -2, 99, 7)));
    }

    @Test
    void errorFramesSayWhatWentWrongAndForWhichPress() {
        assertEquals("{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow \\\"down\\\"\"}",
                Frames.error(ErrorCode.RATE_LIMITED, "slow \"down\""));
        assertEquals("{\"type\":\"error\",\"code\":\"unavailable\",\"id\":\"p1\",\"message\":\"try again\"}",
                Frames.error(ErrorCode.UNAVAILABLE, "p1", "try again"));
        assertEquals("{\"type\":\"pending\",\"id\":\"p1\",\"message\":\"wait\"}", Frames.pending("p1", "wait"));
    }
}
