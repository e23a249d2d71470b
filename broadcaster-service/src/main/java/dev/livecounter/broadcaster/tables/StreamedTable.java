package dev.livecounter.broadcaster.tables;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;

/**
 * One application table the operator lets clients subscribe to ({@code livecounter.streamed-tables.<table>}). Any
 * table not named, and the project's own tables always, stay unreachable. Adding one is configuration only: the
 * table needs a stream with new and old images, and this entry.
 *
 * @param name          the DynamoDB table's name
 * @param attributes    the attributes a subscriber may ever receive, filter on or project (the key attributes always)
 * @param access        {@code public}: anyone who may open a socket; {@code token}: only with a signed token whose
 *                      scope names the table (default public)
 * @param snapshotLimit the most items one subscribe may read for its snapshot; a selector holding more is refused
 *                      with {@code snapshot_too_large} (default 1000)
 * @param writable      clients may change the allowed attributes of existing items through
 *                      {@code POST /tables/<table>/items} (default false; the demo page's table only, never a real one)
 * @param example       a demo table: when missing and {@code livecounter.tables.create} is on (DynamoDB Local, dev
 *                      clusters), it is created with a stream and a few example orders (default false)
 */
@EachProperty("livecounter.streamed-tables")
public record StreamedTable(
        @Parameter String name,
        @Nullable List<String> attributes,
        @Bindable(defaultValue = "PUBLIC") Access access,
        @Bindable(defaultValue = "1000") @Min(1) @Max(100_000) int snapshotLimit,
        @Bindable(defaultValue = "false") boolean writable,
        @Bindable(defaultValue = "false") boolean example) {

    public StreamedTable {
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
    }

    /** Who may subscribe. */
    public enum Access {
        PUBLIC,
        TOKEN
    }
}
