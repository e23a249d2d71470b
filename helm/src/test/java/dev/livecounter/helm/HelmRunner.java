package dev.livecounter.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs Helm 3 in-process (helm-java, through JNA) on a copy of the chart, offline.
 *
 * <p>Three gaps of helm-java 0.0.21 are bridged here, on a temporary copy so the chart itself is never
 * touched:
 *
 * <ul>
 *   <li>its {@code lint} takes no values file, so the copy's values.yaml is the defaults merged with the given
 *       file (what {@code helm lint -f file} lints);
 *   <li>its {@code template} prints the release manifest without hooks, so the copy renames the
 *       {@code helm.sh/hook} annotation of the test pod, which then renders as a plain document carrying
 *       {@link #RENAMED_HOOK} instead;
 *   <li>its {@code template} runs with dry-run option "none", under which Helm's {@code lookup} asks a cluster
 *       (client-go's default, localhost:8080, where anything may listen). The CLI's {@code helm template}
 *       answers every lookup with an empty map; the copy's secret.yaml does the same, or answers with a
 *       Secret of a previous install to check that an upgrade keeps its value.
 * </ul>
 */
final class HelmRunner {

    /**
     * The chart: relative to this module's directory, Surefire's working directory; from another module (through
     * this module's test-jar) set the system property {@code livecounter.chart}, e.g. to ../helm/live-counter.
     */
    static final Path CHART = Path.of(System.getProperty("livecounter.chart", "live-counter"));

    static final Path VALUES_DIR = Path.of("src", "test", "resources", "values");

    static final String RELEASE = "demo";

    static final String NAMESPACE = "live-counter";

    /** A cluster with the preStop sleep action; helm-java's own default is v1.20.0. */
    static final String KUBE_VERSION = "1.31.0";

    /** The annotation the test pod's {@code helm.sh/hook} becomes in a rendered copy. */
    static final String RENAMED_HOOK = "rendered-by-tests/helm.sh-hook";

    /** The one cluster lookup of the chart, in templates/secret.yaml. */
    private static final String SECRET_LOOKUP = "lookup \"v1\" \"Secret\" .Release.Namespace $name";

    private HelmRunner() {}

    static Path values(String fileName) {
        return VALUES_DIR.resolve(fileName);
    }

    /**
     * {@code helm template RELEASE CHART -f valuesFile --kube-version kubeVersion}, hooks included.
     *
     * @param existingSecret the base64 value of the internal secret a previous install left, or null for a
     *     first install
     */
    static String template(Path valuesFile, String releaseName, String kubeVersion, String existingSecret) {
        Path copy = copyChart();
        try {
            renameHooks(copy.resolve("templates").resolve("tests"));
            answerLookup(copy.resolve("templates").resolve("secret.yaml"), existingSecret);
            return templateCopy(copy, valuesFile, releaseName, kubeVersion);
        } finally {
            delete(copy);
        }
    }

    static String template(Path valuesFile) {
        return template(valuesFile, RELEASE, KUBE_VERSION, null);
    }

    /** The chart's one question to the cluster's API versions, in templates/_helpers.tpl. */
    static final String MONITORING_API = ".Capabilities.APIVersions.Has \"monitoring.coreos.com/v1\"";

    /**
     * {@code helm template --api-versions monitoring.coreos.com/v1}: helm-java 0.0.21's template takes no API
     * versions, so the copy's helpers answer the chart's one question about them with yes.
     */
    static String templateWithMonitoringApi(Path valuesFile) {
        Path copy = copyChart();
        try {
            Path helpers = copy.resolve("templates").resolve("_helpers.tpl");
            String text = Yamls.read(helpers);
            if (!text.contains(MONITORING_API)) {
                throw new IllegalStateException("_helpers.tpl no longer contains " + MONITORING_API);
            }
            Files.writeString(helpers, text.replace(MONITORING_API, "true"));
            renameHooks(copy.resolve("templates").resolve("tests"));
            answerLookup(copy.resolve("templates").resolve("secret.yaml"), null);
            return templateCopy(copy, valuesFile, RELEASE, KUBE_VERSION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(copy);
        }
    }

    /**
     * NOTES.txt as {@code helm install} would print it (helm-java's template does not render it): the copy
     * renders it with {@code tpl} into a ConfigMap, which is read back.
     */
    static String notes(Path valuesFile, String kubeVersion) {
        Path copy = copyChart();
        try {
            answerLookup(copy.resolve("templates").resolve("secret.yaml"), null);
            // .Files sees no file under templates/, so the text goes next to Chart.yaml
            Files.move(copy.resolve("templates").resolve("NOTES.txt"), copy.resolve("notes-for-tests.txt"));
            Files.writeString(copy.resolve("templates").resolve("notes-for-tests.yaml"), """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: notes-for-tests
                    data:
                      notes: {{ tpl (.Files.Get "notes-for-tests.txt") . | toJson }}
                    """);
            String manifest = templateCopy(copy, valuesFile, RELEASE, kubeVersion);
            return Yamls.at(RenderedChart.of(manifest).get("ConfigMap", "notes-for-tests"), "data.notes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(copy);
        }
    }

    private static String templateCopy(Path copy, Path valuesFile, String releaseName, String kubeVersion) {
        return new Helm(copy)
                .template()
                .withName(releaseName)
                .withNamespace(NAMESPACE)
                .withKubeVersion(kubeVersion)
                .withValuesFile(valuesFile.toAbsolutePath())
                .call();
    }

    /** {@code helm lint --strict CHART -f valuesFile}. */
    static LintResult lintStrict(Path valuesFile) {
        Path copy = copyChart();
        try {
            Map<String, Object> merged = Yamls.merge(Yamls.map(CHART.resolve("values.yaml")), Yamls.map(valuesFile));
            Files.writeString(copy.resolve("values.yaml"), Yamls.dump(merged));
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(copy);
        }
    }

    private static void answerLookup(Path secretTemplate, String existingSecret) {
        String text = Yamls.read(secretTemplate);
        if (!text.contains(SECRET_LOOKUP)) {
            throw new IllegalStateException(secretTemplate.getFileName() + " no longer contains " + SECRET_LOOKUP);
        }
        String answer = existingSecret == null
                ? "dict"
                : "(dict \"data\" (dict \"internal-secret\" \"" + existingSecret + "\"))";
        try {
            Files.writeString(secretTemplate, text.replace(SECRET_LOOKUP, answer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void renameHooks(Path testsDir) {
        try (Stream<Path> files = Files.list(testsDir)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                Files.writeString(file, text.replace("helm.sh/hook:", RENAMED_HOOK + ":"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyChart() {
        try {
            Path target = Files.createTempDirectory("live-counter-chart-").resolve("live-counter");
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(CHART)) {
                sources = walk.toList();
            }
            for (Path source : sources) {
                Files.copy(source, target.resolve(CHART.relativize(source).toString()));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path chartCopy) {
        try (Stream<Path> walk = Files.walk(chartCopy.getParent())) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
