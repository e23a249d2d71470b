package dev.livecounter.system;

import static org.awaitility.Awaitility.await;

import dev.livecounter.helm.RenderedChart;
import dev.livecounter.helm.RenderedChart.Workload;
import dev.livecounter.local.DynamoDbLocal;
import dev.livecounter.local.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * The whole system from its images, one container per pod of the rendered chart (dev values: DynamoDB Local in
 * the cluster), in one Docker network where each reaches the others by the chart's Service names, and two
 * broadcaster replicas. The test talks to each pod through a port published on 127.0.0.1 only.
 *
 * <p>The rendered environment is used as it is, except what only a cluster fills in: the Secret's value, the pod
 * name, and the pod IP, which becomes the pod's name in the network (Docker gives a container its address only
 * once it runs, and the name resolves to it). DynamoDB Local runs the image built from the Maven artifact
 * ({@value DynamoDbLocal#IMAGE}) instead of amazon/dynamodb-local, which cannot be pulled here; it takes the
 * chart's arguments as they are.
 */
final class ContainerSystem implements AutoCloseable {

    /** A running pod: its container and where the test reaches it. */
    record Pod(String name, Workload workload, GenericContainer<?> container, int hostPort) {
        URI http(String path) {
            return URI.create("http://127.0.0.1:" + hostPort + path);
        }
    }

    static final Path DEV_VALUES = Path.of("../helm/src/test/resources/values/dev-dynamodb-local.yaml");
    private static final String SECRET = "images-it-secret";
    private static final Path LOGS = Path.of("target", "containers");

    private final RenderedChart chart = RenderedChart.render(DEV_VALUES);
    private final Network network = Network.newNetwork();
    private final List<Pod> pods = new ArrayList<>();

    /** Starts DynamoDB Local, connection-service, counter-service and two broadcasters, each once ready. */
    static ContainerSystem start() {
        ContainerSystem system = new ContainerSystem();
        Runtime.getRuntime().addShutdownHook(new Thread(system::close, "images-it-stop")); // no reaper runs
        system.startPod(system.chart.workload("dynamodb-local"), DynamoDbLocal.IMAGE, "dynamodb-local-0");
        system.startPod(system.chart.workload("connection-service"), null, "connection-service-0");
        system.startPod(system.chart.workload("counter-service"), null, "counter-service-0");
        system.startPod(system.chart.workload("broadcaster-service"), null, "broadcaster-service-0");
        system.startPod(system.chart.workload("broadcaster-service"), null, "broadcaster-service-1");
        return system;
    }

    private void startPod(Workload workload, String image, String podName) {
        String port = workload.ports().keySet().iterator().next();
        int containerPort = workload.port(port);
        int hostPort = Ports.free();
        GenericContainer<?> container = PodContainer.of(workload, image == null ? workload.image() : image, podName,
                network, environment(workload, podName), containerPort, hostPort, serviceName(workload), podName);
        List<String> args = PodContainer.args(workload);
        if (!args.isEmpty()) {
            container.withCommand(args.toArray(String[]::new));
        }
        Pod pod = new Pod(podName, workload, container, hostPort);
        pods.add(pod);
        long started = System.nanoTime();
        container.start();
        awaitReady(pod);
        System.out.printf("[images] %s (%s) ready %d ms after its start%n", podName, container.getDockerImageName(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The rendered environment, with what a cluster fills in filled in for this pod. */
    private static Map<String, String> environment(Workload workload, String podName) {
        Map<String, String> env = new LinkedHashMap<>();
        workload.env().forEach((name, value) -> env.put(name, value
                .replace("<fieldRef:status.podIP>", podName)
                .replace("<fieldRef:metadata.name>", podName)
                .replaceAll("<secretKeyRef:[^>]+>", SECRET)));
        env.replaceAll((name, value) -> value.replace("$(POD_IP)", env.getOrDefault("POD_IP", "")));
        env.forEach((name, value) -> {
            if (name.startsWith("<") || value.matches(".*<[a-zA-Z]+:.*>.*")) {
                throw new AssertionError("a cluster-only value the test does not fill in: " + name + "=" + value);
            }
        });
        return env;
    }

    /**
     * The name of the chart's Service that selects this component: how the other pods reach it. The pod's name in
     * the network stands for the Service only while the Service's port is the container's own.
     */
    @SuppressWarnings("unchecked")
    private String serviceName(Workload workload) {
        Map<String, Object> service = chart.ofKind("Service").stream()
                .filter(s -> workload.component().equals(((Map<String, Object>) ((Map<String, Object>) s.get("spec"))
                        .get("selector")).get("app.kubernetes.io/component")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Service selects " + workload.component()));
        List<Map<String, Object>> ports = (List<Map<String, Object>>) ((Map<String, Object>) service.get("spec")).get("ports");
        for (Map<String, Object> port : ports) {
            Object target = port.get("targetPort");
            int targetPort = target instanceof Integer number ? number : workload.port((String) target);
            Assertions.assertEquals(targetPort, port.get("port"), "a Service port the network alias cannot stand for");
        }
        return (String) ((Map<String, Object>) service.get("metadata")).get("name");
    }

    /**
     * Ready as the kubelet would see it: the readiness probe answers 200 (HTTP) or the port answers (TCP), within
     * the startup probe's budget (period x failure threshold). Polled often, so start-to-ready is measured finely.
     */
    void awaitReady(Pod pod) {
        Map<String, Object> startup = PodContainer.probe(pod.workload(), "startup");
        Duration budget = startup.isEmpty()
                ? Duration.ofSeconds(120)
                : Duration.ofSeconds((int) startup.get("periodSeconds") * (long) (int) startup.get("failureThreshold"));
        RenderedChart.Probe readiness = pod.workload().probes().get("readiness");
        await(pod.name() + " ready").atMost(budget).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!pod.container().isRunning()) {
                        throw new AssertionError(pod.name() + " exited: " + tail(pod.container().getLogs()));
                    }
                    return readiness.path() == null ? accepts(pod.hostPort()) : status(pod.http(readiness.path())) == 200;
                });
    }

    static int status(URI uri) {
        try {
            return LiveSystem.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build()).statusCode();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    /**
     * A TCP probe seen from outside the network: Docker's port proxy accepts on the published port before the
     * container listens, so the port must also answer a request with some bytes (any HTTP server does).
     */
    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\nHost: probe\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return socket.getInputStream().read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(String logs) {
        return logs.length() > 4000 ? logs.substring(logs.length() - 4000) : logs;
    }

    /** {@code docker stop}: SIGTERM, then SIGKILL after the chart's terminationGracePeriodSeconds. */
    void dockerStop(String podName) {
        Pod pod = pod(podName);
        int grace = (int) pod.workload().podSpec().get("terminationGracePeriodSeconds");
        pod.container().getDockerClient().stopContainerCmd(pod.container().getContainerId()).withTimeout(grace).exec();
    }

    /** {@code docker kill}: SIGKILL, no drain. */
    void dockerKill(String podName) {
        Pod pod = pod(podName);
        pod.container().getDockerClient().killContainerCmd(pod.container().getContainerId()).exec();
    }

    /** {@code docker start} of a stopped pod's container (as the kubelet restarts a container), once ready. */
    void dockerStart(String podName) {
        Pod pod = pod(podName);
        if (pod.container().isRunning()) {
            return;
        }
        long started = System.nanoTime();
        pod.container().getDockerClient().startContainerCmd(pod.container().getContainerId()).exec();
        awaitReady(pod);
        System.out.printf("[images] %s restarted, ready %d ms after its start%n", podName,
                (System.nanoTime() - started) / 1_000_000);
    }

    List<Pod> pods() {
        return pods;
    }

    Pod pod(String name) {
        return pods.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** Writes every container's log to target/containers, then removes the containers and the network. */
    @Override
    public synchronized void close() {
        for (Pod pod : pods) {
            try {
                Files.createDirectories(LOGS);
                Files.writeString(LOGS.resolve(pod.name() + ".log"), pod.container().getLogs());
            } catch (IOException | RuntimeException e) {
                System.err.println("[images] no log of " + pod.name() + ": " + e);
            }
            pod.container().stop();
        }
        pods.clear();
        network.close();
    }
}
