package dev.livecounter.broadcaster.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The broadcaster's settings reach the clients' service configurations (application.yml): a comma-separated list
 * becomes the instances a client calls in turn, and the HTTP client's timeouts hold for them (a bench raises them).
 */
class ServiceInstancesTest {

    @Test
    void aListOfInstancesAndTheClientsTimeoutsReachTheServiceClients() {
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of(
                        "livecounter.broadcaster.connection-service-url", "http://127.0.0.1:8081,http://127.0.0.1:8181",
                        "livecounter.broadcaster.counter-service-url", "http://127.0.0.1:8082",
                        "micronaut.http.client.read-timeout", "40s",
                        // only the clients' configuration is looked at: nothing that reaches AWS is made
                        "aws.region", "us-east-1"))
                .eagerInitSingletons(false)
                .start()) {
            ServiceHttpClientConfiguration connections = context.getBean(ServiceHttpClientConfiguration.class,
                    Qualifiers.byName("connection-service"));
            ServiceHttpClientConfiguration counters = context.getBean(ServiceHttpClientConfiguration.class,
                    Qualifiers.byName("counter-service"));

            assertEquals(List.of(URI.create("http://127.0.0.1:8081"), URI.create("http://127.0.0.1:8181")), connections.getUrls());
            assertEquals(List.of(URI.create("http://127.0.0.1:8082")), counters.getUrls());
            assertEquals(Optional.of(Duration.ofSeconds(40)), connections.getReadTimeout());
            assertEquals(Optional.of(Duration.ofSeconds(2)), counters.getConnectTimeout());
        }
    }
}
