package dev.livecounter.connection;

import io.micronaut.runtime.Micronaut;

/** connection-service: the {@code $connect}/{@code $disconnect} integration, owner of the connections table. */
public final class Application {

    private Application() {}

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
