package dev.livecounter.broadcaster;

import io.micronaut.runtime.Micronaut;

/**
 * broadcaster-service: holds the pages' WebSockets (the API Gateway part) and consumes the counters stream
 * (the stream-processor part), fanning each change out to every replica and each replica to its own sockets.
 */
public final class Application {

    private Application() {}

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
