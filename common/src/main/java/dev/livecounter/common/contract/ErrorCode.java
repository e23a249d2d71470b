package dev.livecounter.common.contract;

import java.util.Map;

/**
 * The error codes that cross a boundary: the {@code code} of the protocol's error frames and the {@code error} of
 * the HTTP error bodies ({@code {"error":"...","message":"..."}}) the services answer each other and the pages
 * with. Pages and callers branch on these strings, so they are written here once.
 */
public enum ErrorCode {
    /** A message, parameter or body the receiver cannot use. */
    BAD_REQUEST("bad_request"),
    /** A socket message with an action other than plus and minus. */
    UNKNOWN_ACTION("unknown_action"),
    /** A binary WebSocket frame. */
    UNSUPPORTED_FRAME("unsupported_frame"),
    /** Too many messages, connects or API calls from one client. */
    RATE_LIMITED("rate_limited"),
    /** The database or a service behind is slow or away: try again shortly. */
    UNAVAILABLE("unavailable"),
    /** A connect that would create a counter past the budget of new ones. */
    COUNTER_LIMIT("counter_limit"),
    /** A press on a counter that does not exist (deleted under its page): not applied. */
    NO_COUNTER("no_counter"),
    /** An internal endpoint called without the shared secret. */
    FORBIDDEN("forbidden"),
    /** A socket from an origin not allowed. */
    ORIGIN_NOT_ALLOWED("origin_not_allowed"),
    /** A counter name this install does not serve. */
    COUNTER_NOT_ALLOWED("counter_not_allowed"),
    /** A counter name that breaks the naming rule. */
    BAD_COUNTER("bad_counter"),
    /** A bad visit id on the socket's URL. */
    BAD_VISIT("bad_visit"),
    /** A bad visitor id on the socket's URL. */
    BAD_VISITOR("bad_visitor"),
    /** A method other than GET on the read-only API. */
    METHOD_NOT_ALLOWED("method_not_allowed"),
    /** A subscribe to a table that is not streamed (or does not exist). */
    UNKNOWN_TABLE("unknown_table"),
    /** A subscribe whose filter does not parse, or reads an attribute the table does not allow. */
    BAD_FILTER("bad_filter"),
    /** A projection or key naming an attribute the table does not allow, or a key that is not the table's. */
    BAD_ATTRIBUTE("bad_attribute"),
    /** A subscribe outside what the table's access or the token's scope allows. */
    NOT_PERMITTED("not_permitted"),
    /** A subscribe past the socket's number of subscriptions. */
    TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions"),
    /** A subscribe whose snapshot would read more items than the table allows. */
    SNAPSHOT_TOO_LARGE("snapshot_too_large"),
    /** A subscription token that is not accepted: bad signature, issuer, audience, key id, claims or algorithm. */
    BAD_TOKEN("bad_token"),
    /** A subscription token past its {@code exp}: the client gets a fresh one and subscribes again. */
    TOKEN_EXPIRED("token_expired");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The string on the wire. */
    public String code() {
        return code;
    }

    /** The HTTP error body: {@code {"error":code,"message":message}}. */
    public Map<String, Object> body(String message) {
        return Map.of("error", code, "message", message);
    }

    @Override
    public String toString() {
        return code;
    }
}
