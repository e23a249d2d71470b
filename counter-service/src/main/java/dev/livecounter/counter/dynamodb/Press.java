package dev.livecounter.counter.dynamodb;

import io.micronaut.core.annotation.Nullable;
import java.util.regex.Pattern;

/**
 * One press: +1 or -1, and the id the page gave it (kept across the page's retries), if any. A press with an id is
 * applied once however often it arrives; one without (an old page) once per call.
 *
 * @param delta   +1 or -1
 * @param id      the page's press id, or null
 */
public record Press(long delta, @Nullable String id) {

    /** What a press id may be: the page makes 32 hex digits. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public Press {
        if (id != null && !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("press id: 1-64 characters: letters, digits, '_' or '-'");
        }
    }

}
