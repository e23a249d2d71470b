package dev.livecounter.local;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment LocalStack gives each service process: the "local" form of the environment described once in
 * {@code environment.yaml} at the repository root, and held to it by the helm module's EnvironmentSourceTest. Values
 * a caller sets on the builder for a test come on top and are not part of the form.
 */
public final class StackEnvironment {

    private StackEnvironment() {}

    /** What every service gets: DynamoDB Local at {@code endpoint}, its own tables, the internal secret. */
    public static Map<String, String> shared(String endpoint, String tablePrefix, String secret) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", LocalStack.REGION);
        // DynamoDB Local takes any key, but every client must use the same one to see the same tables
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        // no EC2 metadata endpoint on a workstation: the SDK would wait for one
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_SERVICES_DYNAMODB_ENDPOINT_OVERRIDE", endpoint);
        env.put("LIVECOUNTER_TABLES_CREATE", "true");
        env.put("LIVECOUNTER_TABLES_PREFIX", tablePrefix);
        env.put("LIVECOUNTER_INTERNAL_SECRET", secret);
        return env;
    }

    /**
     * What broadcaster replica {@code replica} (from 1) gets on top of {@code shared}: every instance of
     * connection-service and of counter-service (it calls them in turn, as a Kubernetes Service would spread them).
     */
    public static Map<String, String> broadcaster(Map<String, String> shared, int replica, List<URI> connectionServices,
            List<URI> counterServices) {
        Map<String, String> env = new HashMap<>(shared);
        env.put("LIVECOUNTER_BROADCASTER_REPLICA_ID", "broadcaster-" + replica);
        env.put("LIVECOUNTER_BROADCASTER_CONNECTION_SERVICE_URL", join(connectionServices));
        env.put("LIVECOUNTER_BROADCASTER_COUNTER_SERVICE_URL", join(counterServices));
        env.put("MICRONAUT_APPLICATION_JSON", EXAMPLE_TABLES);
        return env;
    }

    private static String join(List<URI> instances) {
        return String.join(",", instances.stream().map(URI::toString).toList());
    }

    /**
     * The streamed tables as JSON configuration (Micronaut reads {@code MICRONAUT_APPLICATION_JSON}): the example
     * {@code orders} table, made with a few orders at start-up, that the {@code /tables} page shows and edits.
     */
    public static final String EXAMPLE_TABLES = "{\"livecounter\":{\"streamed-tables\":{\"orders\":"
            + "{\"attributes\":[\"item\",\"status\",\"total\",\"updatedAt\"],\"example\":true,\"writable\":true}}}}";

    /** {@code env} for a process listening on {@code port}. */
    public static Map<String, String> withPort(Map<String, String> env, int port) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        return copy;
    }
}
