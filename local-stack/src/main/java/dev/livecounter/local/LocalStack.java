package dev.livecounter.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole system on one machine: DynamoDB Local, connection-service, counter-service and one or more
 * broadcaster replicas, each its own process, wired through the environment as the Helm chart wires them.
 * {@link #main} is the README's "run it locally" command; the system tests and benchmarks start it too.
 */
public final class LocalStack implements AutoCloseable {

    /** One region and one fake key for every client: DynamoDB Local keeps tables per key and region. */
    public static final String REGION = "us-east-1";

    private final DynamoDbLocal dynamoDb;
    private final FaultProxy dynamoDbProxy;
    private final List<ServiceProcess> connectionServices = new ArrayList<>();
    private final List<ServiceProcess> counterServices = new ArrayList<>();
    private final List<ServiceProcess> broadcasters = new ArrayList<>();
    private final String secret;
    private final String tablePrefix;
    private final Duration startupTime;

    private LocalStack(Builder builder) {
        long started = System.nanoTime();
        this.secret = UUID.randomUUID().toString();
        this.tablePrefix = builder.tablePrefix;
        this.dynamoDb = DynamoDbLocal.start();
        this.dynamoDbProxy = builder.dynamoDbProxy || builder.dynamoDbLatency != null
                ? new FaultProxy(dynamoDb.endpoint().getHost(), dynamoDb.endpoint().getPort(), builder.dynamoDbLatency)
                : null;
        String endpoint = dynamoDbProxy == null ? dynamoDb.endpoint().toString() : "http://127.0.0.1:" + dynamoDbProxy.port();
        Map<String, String> common = StackEnvironment.shared(endpoint, builder.tablePrefix, secret);
        common.putAll(builder.env);

        for (int i = 0; i < builder.connectionPorts.size(); i++) {
            connectionServices.add(service("connection-service", i, "dev.livecounter.connection.Application",
                    builder.connectionPorts.get(i), common, builder));
            counterServices.add(service("counter-service", i, "dev.livecounter.counter.Application",
                    builder.counterPorts.get(i), common, builder));
        }
        for (int i = 0; i < builder.broadcasterPorts.size(); i++) {
            Map<String, String> env = StackEnvironment.broadcaster(common, i + 1, baseUris(connectionServices),
                    baseUris(counterServices));
            env.putAll(builder.broadcasterEnv);
            int port = builder.broadcasterPorts.get(i);
            broadcasters.add(new ServiceProcess("broadcaster-" + (i + 1), "broadcaster-service",
                    "dev.livecounter.broadcaster.Application", port, StackEnvironment.withPort(env, port),
                    builder.jvmOptions));
        }
        List<ServiceProcess> all = all();
        try {
            all.forEach(ServiceProcess::start);
            CompletableFuture.allOf(all.stream()
                            .map(s -> CompletableFuture.runAsync(() -> s.awaitHealthy(Duration.ofSeconds(120))))
                            .toArray(CompletableFuture[]::new))
                    .join();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        startupTime = Duration.ofNanos(System.nanoTime() - started);
    }

    /** Instance {@code index} of a service: the first is named as the service, the others {@code <service>-2}, ... */
    private static ServiceProcess service(String module, int index, String mainClass, int port, Map<String, String> common,
            Builder builder) {
        String name = index == 0 ? module : module + "-" + (index + 1);
        return new ServiceProcess(name, module, mainClass, port, StackEnvironment.withPort(common, port), builder.jvmOptions);
    }

    private static int parseCount(String value) {
        try {
            int count = Integer.parseInt(value);
            return count >= 1 && count <= 8 ? count : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<java.net.URI> baseUris(List<ServiceProcess> instances) {
        return instances.stream().map(ServiceProcess::baseUri).toList();
    }

    /**
     * A client straight to this stack's DynamoDB Local (past any fault proxy), as an operator or another application
     * has one; the caller closes it.
     */
    public DynamoDbClient dynamoDbClient() {
        return DynamoDbClient.builder()
                .endpointOverride(dynamoDb.endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /**
     * A client that reaches DynamoDB Local as the services do: through the proxy when the stack has one (so with its
     * latency profile and its cuts), else straight. The caller closes it.
     */
    public DynamoDbClient servicesDynamoDbClient() {
        return DynamoDbClient.builder()
                .endpointOverride(dynamoDbProxy == null ? dynamoDb.endpoint() : URI.create("http://127.0.0.1:" + dynamoDbProxy.port()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** The name of this stack's table {@code table} ({@code counters}, {@code connections}, ...). */
    public String tableName(String table) {
        return tablePrefix + table;
    }

    public static Builder builder() {
        return new Builder();
    }

    public DynamoDbLocal dynamoDb() {
        return dynamoDb;
    }

    /** The proxy every service reaches DynamoDB through, when the stack was built with one. */
    public FaultProxy dynamoDbProxy() {
        if (dynamoDbProxy == null) {
            throw new IllegalStateException("build the stack with dynamoDbProxy(true)");
        }
        return dynamoDbProxy;
    }

    /** The first connection-service (any of them answers the same). */
    public ServiceProcess connectionService() {
        return connectionServices.get(0);
    }

    /** The first counter-service (any of them answers the same). */
    public ServiceProcess counterService() {
        return counterServices.get(0);
    }

    public List<ServiceProcess> connectionServices() {
        return connectionServices;
    }

    public List<ServiceProcess> counterServices() {
        return counterServices;
    }

    public List<ServiceProcess> broadcasters() {
        return broadcasters;
    }

    public ServiceProcess broadcaster(int index) {
        return broadcasters.get(index);
    }

    /**
     * Stops broadcaster {@code index} gracefully and starts it again on its port with {@code changes} to its
     * environment, in its place in this stack (so {@link #close} stops the new one); returns once it is healthy.
     */
    public ServiceProcess restartBroadcaster(int index, Map<String, String> changes) {
        ServiceProcess old = broadcasters.get(index);
        old.stop();
        ServiceProcess changed = old;
        for (Map.Entry<String, String> change : changes.entrySet()) {
            changed = changed.withEnv(change.getKey(), change.getValue());
        }
        broadcasters.set(index, changed);
        return changed.start().awaitHealthy(Duration.ofSeconds(120));
    }

    /** The shared secret the internal endpoints of this stack require. */
    public String internalSecret() {
        return secret;
    }

    /** From nothing to every service healthy. */
    public Duration startupTime() {
        return startupTime;
    }

    public List<ServiceProcess> all() {
        List<ServiceProcess> all = new ArrayList<>(broadcasters);
        all.addAll(connectionServices);
        all.addAll(counterServices);
        return all;
    }

    /**
     * Stops the services gracefully, broadcasters first so they can deregister their sockets, then the other two
     * together, then DynamoDB Local.
     */
    @Override
    public void close() {
        stopAll(broadcasters);
        List<ServiceProcess> others = new ArrayList<>(connectionServices);
        others.addAll(counterServices);
        stopAll(others);
        if (dynamoDbProxy != null) {
            dynamoDbProxy.close();
        }
        dynamoDb.close();
    }

    private static void stopAll(List<ServiceProcess> services) {
        CompletableFuture.allOf(services.stream()
                        .map(service -> CompletableFuture.runAsync(service::stop))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /** The folder the services' logs go to: {@code local-stack/target/logs}. */
    public static Path logDirectory() {
        Path dir = repositoryRoot().resolve("local-stack/target/logs");
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    /** The checkout's root: the nearest folder upwards that holds broadcaster-service/. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("broadcaster-service"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the live-counter checkout");
        }
        return dir;
    }

    /** Options of a local stack. */
    public static final class Builder {
        private List<Integer> connectionPorts = List.of(Ports.free());
        private List<Integer> counterPorts = List.of(Ports.free());
        private List<Integer> broadcasterPorts = List.of(Ports.free());
        private String tablePrefix = "local-";
        private boolean dynamoDbProxy;
        private DynamoDbLatencyProfile dynamoDbLatency;
        private final Map<String, String> env = new HashMap<>();
        private final Map<String, String> broadcasterEnv = new HashMap<>();
        private List<String> jvmOptions = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

        /**
         * Fixed ports for the instances of connection-service and of counter-service, as many of each as ports
         * (default: one each, on a free port).
         */
        public Builder servicePorts(List<Integer> connection, List<Integer> counter) {
            if (connection.isEmpty() || connection.size() != counter.size()) {
                throw new IllegalArgumentException("as many counter-services as connection-services, at least one");
            }
            this.connectionPorts = List.copyOf(connection);
            this.counterPorts = List.copyOf(counter);
            return this;
        }

        /** {@code count} instances of connection-service and of counter-service, on free ports. */
        public Builder serviceReplicas(int count) {
            List<Integer> connection = new ArrayList<>();
            List<Integer> counter = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                connection.add(Ports.free());
                counter.add(Ports.free());
            }
            return servicePorts(connection, counter);
        }

        public Builder broadcasterPorts(List<Integer> ports) {
            this.broadcasterPorts = List.copyOf(ports);
            return this;
        }

        /** {@code count} broadcaster replicas on free ports. */
        public Builder broadcasters(int count) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ports.add(Ports.free());
            }
            return broadcasterPorts(ports);
        }

        /** Puts a {@link FaultProxy} between the services and DynamoDB Local, for outage tests. */
        public Builder dynamoDbProxy(boolean proxy) {
            this.dynamoDbProxy = proxy;
            return this;
        }

        /**
         * Puts a {@link FaultProxy} between the services and DynamoDB Local that delays each call by {@code profile}
         * (switchable later through {@link #dynamoDbProxy()}); null: as {@link #dynamoDbProxy(boolean)} alone.
         */
        public Builder dynamoDbLatency(DynamoDbLatencyProfile profile) {
            this.dynamoDbLatency = profile;
            return this;
        }

        public Builder tablePrefix(String prefix) {
            this.tablePrefix = prefix;
            return this;
        }

        /** An environment variable for every service. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** An environment variable for the broadcasters only. */
        public Builder broadcasterEnv(String name, String value) {
            broadcasterEnv.put(name, value);
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        public LocalStack start() {
            return new LocalStack(this);
        }
    }

    /**
     * {@code ./run-local.sh}: the page at http://localhost:8080, connection-service on 8081, counter-service on
     * 8082, and a second of each (as the chart runs them) on 8180, 8181, 8182; {@code --replicas N} runs N of every
     * service (instance k of each on its port plus 100 k); {@code --broadcasters N} sets the broadcasters alone (extra ones on 8083
     * onwards). Ctrl-C stops everything.
     */
    public static void main(String[] args) throws InterruptedException {
        int replicas = 2;
        int broadcasterCount = -1;
        for (int i = 0; i < args.length; i++) {
            int value = i + 1 < args.length ? parseCount(args[i + 1]) : -1;
            if (args[i].equals("--replicas") && value > 0) {
                replicas = value;
            } else if (args[i].equals("--broadcasters") && value > 0) {
                broadcasterCount = value;
            } else {
                System.err.println("usage: run-local.sh [--replicas N] [--broadcasters N]   (N from 1 to 8)");
                System.exit(2);
            }
            i++;
        }
        List<Integer> ports = new ArrayList<>();
        List<Integer> connectionPorts = new ArrayList<>();
        List<Integer> counterPorts = new ArrayList<>();
        for (int k = 0; k < replicas; k++) {
            connectionPorts.add(8081 + 100 * k);
            counterPorts.add(8082 + 100 * k);
        }
        if (broadcasterCount < 0) {
            for (int k = 0; k < replicas; k++) {
                ports.add(8080 + 100 * k);
            }
        } else {
            ports.add(8080);
            for (int k = 1; k < broadcasterCount; k++) {
                ports.add(8082 + k);
            }
        }
        int broadcasters = ports.size();
        System.out.println("Starting DynamoDB Local, " + replicas + " connection-service(s), " + replicas
                + " counter-service(s) and " + broadcasters + " broadcaster(s); logs in " + logDirectory());
        LocalStack stack = builder()
                .servicePorts(connectionPorts, counterPorts)
                .broadcasterPorts(ports)
                .jvmOptions(List.of("-Xmx384m", "-XX:+UseSerialGC"))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping...");
            stack.close();
            System.out.println("Stopped.");
        }, "local-stack-shutdown"));
        System.out.printf("Live Counter is running (started in %.1f s):%n", stack.startupTime().toMillis() / 1000.0);
        for (ServiceProcess broadcaster : stack.broadcasters()) {
            System.out.println("  page:               http://localhost:" + broadcaster.port() + "/");
        }
        System.out.println("  tables demo:        http://localhost:" + stack.broadcaster(0).port() + "/tables");
        System.out.println("  connection-service: " + baseUris(stack.connectionServices()));
        System.out.println("  counter-service:    " + baseUris(stack.counterServices()));
        System.out.println("  DynamoDB Local:     " + stack.dynamoDb().endpoint()
                + "   (key and secret: local, region " + REGION + ")");
        System.out.println("Press Ctrl-C to stop.");
        Thread.currentThread().join();
    }
}
