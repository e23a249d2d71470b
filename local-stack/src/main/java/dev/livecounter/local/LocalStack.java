package dev.livecounter.local;

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
    private final ServiceProcess connectionService;
    private final ServiceProcess counterService;
    private final List<ServiceProcess> broadcasters;
    private final String secret;
    private final String tablePrefix;
    private final Duration startupTime;

    private LocalStack(Builder builder) {
        long started = System.nanoTime();
        this.secret = UUID.randomUUID().toString();
        this.tablePrefix = builder.tablePrefix;
        this.dynamoDb = DynamoDbLocal.start();
        this.dynamoDbProxy = builder.dynamoDbProxy
                ? new FaultProxy(dynamoDb.endpoint().getHost(), dynamoDb.endpoint().getPort())
                : null;
        String endpoint = dynamoDbProxy == null ? dynamoDb.endpoint().toString() : "http://127.0.0.1:" + dynamoDbProxy.port();
        Map<String, String> common = StackEnvironment.shared(endpoint, builder.tablePrefix, secret);
        common.putAll(builder.env);

        connectionService = service("connection-service", "dev.livecounter.connection.Application",
                builder.connectionPort, common, builder);
        counterService = service("counter-service", "dev.livecounter.counter.Application",
                builder.counterPort, common, builder);
        broadcasters = new ArrayList<>();
        for (int i = 0; i < builder.broadcasterPorts.size(); i++) {
            Map<String, String> env = StackEnvironment.broadcaster(common, i + 1, connectionService.baseUri(),
                    counterService.baseUri());
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

    private static ServiceProcess service(String name, String mainClass, int port, Map<String, String> common, Builder builder) {
        return new ServiceProcess(name, name, mainClass, port, StackEnvironment.withPort(common, port), builder.jvmOptions);
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

    public ServiceProcess connectionService() {
        return connectionService;
    }

    public ServiceProcess counterService() {
        return counterService;
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
        all.add(connectionService);
        all.add(counterService);
        return all;
    }

    /**
     * Stops the services gracefully, broadcasters first so they can deregister their sockets, then the other two
     * together, then DynamoDB Local.
     */
    @Override
    public void close() {
        stopAll(broadcasters);
        stopAll(List.of(connectionService, counterService));
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
        private int connectionPort = Ports.free();
        private int counterPort = Ports.free();
        private List<Integer> broadcasterPorts = List.of(Ports.free());
        private String tablePrefix = "local-";
        private boolean dynamoDbProxy;
        private final Map<String, String> env = new HashMap<>();
        private final Map<String, String> broadcasterEnv = new HashMap<>();
        private List<String> jvmOptions = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

        /** Fixed ports for connection-service and counter-service (default: free ones). */
        public Builder servicePorts(int connection, int counter) {
            this.connectionPort = connection;
            this.counterPort = counter;
            return this;
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
     * 8082; {@code --broadcasters N} adds replicas on 8083 onwards. Ctrl-C stops everything.
     */
    public static void main(String[] args) throws InterruptedException {
        int replicas = 1;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--broadcasters") && i + 1 < args.length) {
                try {
                    replicas = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    replicas = -1;
                }
            } else {
                replicas = -1;
            }
            if (replicas < 1 || replicas > 8) {
                System.err.println("usage: run-local.sh [--broadcasters N]   (N from 1 to 8)");
                System.exit(2);
            }
        }
        List<Integer> ports = new ArrayList<>(List.of(8080));
        for (int i = 1; i < replicas; i++) {
            ports.add(8082 + i);
        }
        System.out.println("Starting DynamoDB Local, connection-service, counter-service and " + replicas
                + " broadcaster(s); logs in " + logDirectory());
        LocalStack stack = builder()
                .servicePorts(8081, 8082)
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
        System.out.println("  connection-service: http://localhost:8081   counter-service: http://localhost:8082");
        System.out.println("  DynamoDB Local:     " + stack.dynamoDb().endpoint()
                + "   (key and secret: local, region " + REGION + ")");
        System.out.println("Press Ctrl-C to stop.");
        Thread.currentThread().join();
    }
}
