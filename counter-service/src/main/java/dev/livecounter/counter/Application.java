package dev.livecounter.counter;

import io.micronaut.runtime.Micronaut;

/** counter-service: the plus/minus route and counter reads. */
public final class Application {

    private Application() {}

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
