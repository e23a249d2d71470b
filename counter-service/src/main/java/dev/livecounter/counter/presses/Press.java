package dev.livecounter.counter.presses;

import dev.livecounter.common.model.Ids;
import io.micronaut.core.annotation.Nullable;

/**
 * One press: +1 or -1, and the id the page gave it (kept across the page's retries), if any. A press with an id is
 * applied once however often it arrives; one without (an old page) once per call.
 *
 * @param delta   +1 or -1
 * @param id      the page's press id, or null
 */
public record Press(long delta, @Nullable String id) {

    public Press {
        // the page makes 32 hex digits
        if (id != null && !Ids.isValid(id)) {
            throw new IllegalArgumentException("press id: " + Ids.DESCRIBED);
        }
    }

}
