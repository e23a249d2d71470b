package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kustomization under k8s/ (the base and every overlay) applied server-side ({@code kubectl apply
 * --server-side -k}, the way the docs deploy them) to a real API server ({@link ControlPlane}), each in its own
 * namespace that enforces the restricted Pod Security level, and every Pod of it admitted. kubectl renders the
 * kustomizations (kustomize is built in): without it the test is skipped, or fails in CI.
 */
class ManifestsOnApiServerIT extends OnApiServer {

    private static final Path K8S = Path.of("..", "k8s");

    /** kubectl renders the kustomizations (checked after the base started the control plane, which it stops). */
    @BeforeAll
    static void kubectlOnThePath() {
        boolean kubectl = run(List.of("kubectl", "version", "--client")).exit == 0;
        String missing = "no kubectl on the PATH: it renders the kustomizations";
        if (!kubectl && "true".equalsIgnoreCase(System.getenv("LIVECOUNTER_REQUIRE_APISERVER"))) {
            Assertions.fail(missing);
        }
        Assumptions.assumeTrue(kubectl, missing);
    }

    static List<Path> kustomizations() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void appliesServerSideAndEveryPodIsAdmittedUnderRestrictedPodSecurity(Path kustomization) {
        String namespace = "k8s-" + kustomization.getFileName();
        objects.restrictedNamespace(namespace);

        Result applied = run(List.of("kubectl", "--kubeconfig", cluster.kubeconfig().toString(),
                "apply", "--server-side", "--namespace", namespace, "-k", kustomization.toString()));

        assertEquals(0, applied.exit, applied.output);
        assertTrue(applied.output.contains("deployment.apps/live-counter-broadcaster-service serverside-applied"),
                applied.output);
        objects.assertPodsAdmitted(namespace, true);
    }

    private record Result(int exit, String output) {}

    /** Runs a command for at most a minute; a command that cannot start is exit code -1. */
    private static Result run(List<String> command) {
        try {
            Path output = Files.createTempFile("kubectl-", ".log");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(command))
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
