package dev.livecounter.helm;

import dev.livecounter.local.ChildProcess;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import okhttp3.Request;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver and kube-controller-manager as child
 * processes, found the envtest way in the folder named by {@code KUBEBUILDER_ASSETS}. No scheduler and no
 * kubelet: Pods stay Pending, but everything up to their admission (Pod Security included) is the real thing.
 *
 * <p>Without the binaries the calling tests are skipped, unless {@code LIVECOUNTER_REQUIRE_APISERVER=true} (CI)
 * makes their absence a failure. The admin credential is a static token of group {@code system:masters}; the
 * kubeconfig skips TLS verification of the server's self-signed certificate.
 */
final class ControlPlane implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final Path kubeconfig;
    private final ApiClient client;

    private ControlPlane(Path assets, Path dir) throws Exception {
        this.dir = dir;
        int etcdClient = freePort();
        int etcdPeer = freePort();
        int apiPort = freePort();
        String token = UUID.randomUUID().toString();
        writeServiceAccountKeys();
        Files.writeString(dir.resolve("tokens.csv"), token + ",admin,admin,\"system:masters\"\n");
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, kubeconfig(apiPort, token));

        String etcdUrl = "http://127.0.0.1:" + etcdClient;
        String peerUrl = "http://127.0.0.1:" + etcdPeer;
        start("etcd", assets.resolve("etcd").toString(),
                "--data-dir=" + dir.resolve("etcd-data"),
                "--listen-client-urls=" + etcdUrl, "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=" + peerUrl, "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=default=" + peerUrl);
        start("kube-apiserver", assets.resolve("kube-apiserver").toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
                "--cert-dir=" + dir.resolve("certs"),
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-cluster-ip-range=10.96.0.0/24",
                "--endpoint-reconciler-type=none");
        try (Reader reader = Files.newBufferedReader(kubeconfig)) {
            client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
        }
        awaitReady(token);
        // the controller manager turns Deployments into ReplicaSets and Pods: without it nothing is admitted
        start("kube-controller-manager", assets.resolve("kube-controller-manager").toString(),
                "--kubeconfig=" + kubeconfig,
                "--leader-elect=false",
                "--controllers=*",
                "--service-account-private-key-file=" + dir.resolve("sa.key"),
                "--bind-address=127.0.0.1", "--secure-port=" + freePort());
        // it is running once it has made the default namespace's ServiceAccount
        ApiObjects objects = new ApiObjects(client);
        await("the controller manager", () -> objects.get("ServiceAccount", "default", "default") != null);
    }

    /** Starts etcd, the API server and the controller manager, or skips (fails in CI) without their binaries. */
    static ControlPlane start() throws Exception {
        String assets = System.getenv("KUBEBUILDER_ASSETS");
        Path folder = assets == null || assets.isBlank() ? null : Path.of(assets);
        boolean present = folder != null
                && List.of("etcd", "kube-apiserver", "kube-controller-manager").stream()
                        .allMatch(b -> Files.isExecutable(folder.resolve(b)));
        String missing = "no etcd, kube-apiserver and kube-controller-manager in KUBEBUILDER_ASSETS (" + assets
                + "): see README, Tests";
        if (!present && "true".equalsIgnoreCase(System.getenv("LIVECOUNTER_REQUIRE_APISERVER"))) {
            Assertions.fail(missing);
        }
        Assumptions.assumeTrue(present, missing);
        Path dir = Files.createDirectories(Path.of("target", "apiserver"))
                .resolve("run-" + ProcessHandle.current().pid());
        Files.createDirectories(dir);
        long started = System.nanoTime();
        ControlPlane plane = new ControlPlane(folder, dir.toAbsolutePath());
        System.out.printf("control plane (etcd, kube-apiserver, kube-controller-manager) up in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        return plane;
    }

    /** An admin kubeconfig for helm and kubectl. */
    Path kubeconfig() {
        return kubeconfig;
    }

    ApiClient client() {
        return client;
    }

    /** Waits, at most a minute, until the condition holds; an exception in it fails at once. */
    static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what)
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(condition);
    }

    /** Stops the processes in the reverse order: the API server does not stop while etcd is gone. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            ChildProcess.stop(processes.get(i), Duration.ofSeconds(15));
        }
        // etcd's write-ahead log takes 64 MB a run; the logs stay for a look after a failure
        try (Stream<Path> files = Files.walk(dir.resolve("etcd-data"))) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start(String name, String... command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        processes.add(process);
        // a test JVM stopped early must not leave the processes behind
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-stop"));
    }

    /** Waits for {@code /readyz}, through the client's TLS settings (the kubeconfig's insecure-skip-tls-verify). */
    private void awaitReady(String token) {
        Request readyz = new Request.Builder()
                .url(client.getBasePath() + "/readyz")
                .header("Authorization", "Bearer " + token)
                .build();
        await("kube-apiserver's /readyz (logs in " + dir + ")", () -> {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new AssertionError(process.info().command().orElse("a process") + " exited: see " + dir);
                }
            }
            try (Response response = client.getHttpClient().newCall(readyz).execute()) {
                return response.isSuccessful() && "ok".equals(response.body().string());
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void writeServiceAccountKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static String kubeconfig(int port, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: test
                    cluster:
                      server: https://127.0.0.1:%d
                      insecure-skip-tls-verify: true
                users:
                  - name: admin
                    user:
                      token: %s
                contexts:
                  - name: test
                    context: {cluster: test, user: admin}
                current-context: test
                """.formatted(port, token);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
