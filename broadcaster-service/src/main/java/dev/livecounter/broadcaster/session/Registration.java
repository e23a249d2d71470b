package dev.livecounter.broadcaster.session;

/** What is known of a socket's registration with connection-service. */
enum Registration {
    /** connection-service answered: registered. */
    CONFIRMED,
    /** the call failed after it may have reached connection-service (timeout, 5xx). */
    UNKNOWN,
    /** the call never left: connection-service could not be reached at all (or refused before writing). */
    NEVER
}
