package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.ReleaseHistory;
import com.marcnuri.helm.UpgradeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's whole life on a real API server ({@link ControlPlane}), once per value set the render tests use,
 * each in its own namespace that enforces the restricted Pod Security level: install, every Pod admitted, the
 * helm test Pod admitted, upgrade keeping the internal secret, rollback, uninstall leaving nothing behind.
 */
class ChartOnApiServerIT extends OnApiServer {

    private static final String RELEASE = HelmRunner.RELEASE;
    private static final String FULLNAME = ChartRenderTest.FULLNAME;

    /** Every value set of the render tests but the deliberate typo, which must not install. */
    static List<String> valueSets() throws IOException {
        try (Stream<Path> files = Files.list(HelmRunner.VALUES_DIR)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("typo.yaml"))
                    .sorted()
                    .toList();
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void installsUpgradesRollsBackAndUninstallsUnderRestrictedPodSecurity(String valueSet) {
        String namespace = valueSet.replace(".yaml", "");
        Path values = HelmRunner.values(valueSet).toAbsolutePath();
        objects.restrictedNamespace(namespace);
        String existingSecret = Yamls.at(Yamls.map(values), "internalSecret.existingSecret");
        if (existingSecret != null) {
            objects.create(secret(existingSecret, Yamls.at(Yamls.map(values), "internalSecret.existingSecretKey")),
                    namespace);
        }
        String secretName = existingSecret != null ? existingSecret : FULLNAME + "-internal";

        Release installed = apply(namespace, values, Map.of());
        assertEquals("deployed", installed.getStatus());
        assertEquals("1", installed.getRevision());
        objects.assertPodsAdmitted(namespace, true);
        assertHelmTestPodAdmitted(namespace);
        JsonObject secret = objects.get("Secret", namespace, secretName);
        assertNotNull(secret, "the internal secret " + secretName);
        String allowedBefore = countersAllowed(namespace);

        Release upgraded = apply(namespace, values, Map.of("config.countersAllowed", "home,about"));
        assertEquals("2", upgraded.getRevision());
        assertEquals("home,about", countersAllowed(namespace));
        assertEquals(secret.get("data"), objects.get("Secret", namespace, secretName).get("data"),
                "helm upgrade must keep the internal secret (the chart's lookup)");
        objects.assertPodsAdmitted(namespace, false);

        assertEquals(3, HelmRollback.rollback(objects, namespace, RELEASE, 1));
        assertEquals(allowedBefore, countersAllowed(namespace));
        assertEquals(secret.get("data"), objects.get("Secret", namespace, secretName).get("data"));
        List<ReleaseHistory> history = Helm.history(RELEASE)
                .withNamespace(namespace)
                .withKubeConfig(cluster.kubeconfig())
                .call();
        assertEquals(List.of("superseded", "superseded", "deployed"),
                history.stream().map(ReleaseHistory::getStatus).toList());
        assertEquals("Rollback to 1", history.get(2).getDescription());
        objects.assertPodsAdmitted(namespace, false);

        Helm.uninstall(RELEASE).withNamespace(namespace).withKubeConfig(cluster.kubeconfig()).call();
        try {
            ControlPlane.await("nothing of the release left in " + namespace, () -> leftBehind(namespace).isEmpty());
        } catch (ConditionTimeoutException e) {
            assertEquals(List.of(), leftBehind(namespace), "left behind by helm uninstall");
        }
        if (existingSecret != null) {
            assertNotNull(objects.get("Secret", namespace, existingSecret), "the chart must not delete a secret it did not make");
        }
    }

    /**
     * {@code helm upgrade --install} with this values file and these {@code --set}s: an install (revision 1) when the
     * release is not there yet, else an upgrade; the same chart, values and cluster either way.
     */
    private static Release apply(String namespace, Path values, Map<String, String> sets) {
        UpgradeCommand command = new Helm(HelmRunner.CHART)
                .upgrade()
                .install()
                .withName(RELEASE)
                .withNamespace(namespace)
                .withKubeConfig(cluster.kubeconfig())
                .withValuesFile(values);
        sets.forEach(command::set);
        return command.call();
    }

    /**
     * {@code helm test}: nothing runs the Pod here (no kubelet), so it cannot complete; helm gives up after a few
     * seconds and, by the chart's delete policy, deletes it. What counts is that the API server admitted it: it is
     * looked for while helm waits, and helm's error must be the timeout, not a refusal.
     */
    private static void assertHelmTestPodAdmitted(String namespace) {
        String pod = FULLNAME + "-test-websocket";
        AtomicBoolean helmDone = new AtomicBoolean();
        AtomicBoolean seen = new AtomicBoolean();
        CompletableFuture<Void> watch = CompletableFuture.runAsync(() -> Awaitility.await("the helm test Pod")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    seen.compareAndSet(false, objects.get("Pod", namespace, pod) != null);
                    return seen.get() || helmDone.get();
                }));
        String error = null;
        try {
            Helm.test(RELEASE).withNamespace(namespace).withKubeConfig(cluster.kubeconfig()).withTimeout(3).call();
        } catch (RuntimeException e) {
            error = e.getMessage();
        } finally {
            helmDone.set(true);
        }
        watch.join();
        assertTrue(seen.get(), "the helm test Pod was not created: " + error);
        assertTrue(error == null || error.contains("timed out"), error);
        assertNull(objects.get("Pod", namespace, pod), "a failed helm test must not leave its Pod behind");
    }

    private static String countersAllowed(String namespace) {
        JsonElement value = ApiObjects.at(objects.get("ConfigMap", namespace, FULLNAME + "-config"),
                "data.LIVECOUNTER_COUNTERS_ALLOWED");
        return value == null ? null : value.getAsString();
    }

    /** What is still there of the release: its objects of every kind, its Pods and Helm's own records. */
    private static List<String> leftBehind(String namespace) {
        List<String> left = new ArrayList<>();
        for (String kind : ApiObjects.RELEASE_KINDS) {
            for (JsonObject object : objects.list(kind, namespace, "app.kubernetes.io/instance=" + RELEASE)) {
                left.add(kind + "/" + ApiObjects.name(object));
            }
        }
        objects.list("Secret", namespace, "owner=helm").forEach(s -> left.add("Secret/" + ApiObjects.name(s)));
        return left;
    }

    private static JsonObject secret(String name, String key) {
        String value = Base64.getEncoder().encodeToString("made-before-install".getBytes());
        return JsonParser.parseString("""
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "%s"}, "data": {"%s": "%s"}}
                """.formatted(name, key, value)).getAsJsonObject();
    }
}
