package dev.livecounter.system.ingress;

import dev.livecounter.helm.Kustomize;
import dev.livecounter.helm.RenderedChart;
import dev.livecounter.local.LocalStack;
import dev.livecounter.local.ServiceProcess;
import dev.livecounter.system.ingress.IngressRules.Backend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;

/**
 * The Ingress and Services as one way of installing renders them (the chart with a values file, or a kustomize
 * folder under k8s/), and how a test reaches them: the host a browser asks for and, for each Service, the ports of
 * the locally running service of the same component (as the Service's endpoints would be).
 *
 * @param source e.g. {@code chart defaults.yaml} or {@code k8s/overlays/aws}
 */
public record RenderedIngress(String source, RenderedChart rendered) {

    private static final Path VALUES = Path.of("..", "helm", "src", "test", "resources", "values");
    private static final Path K8S = Path.of("..", "k8s");

    /**
     * Renders {@code chart <values file>} or {@code k8s/<folder>}; a kustomize folder needs kubectl (skipped
     * without it, as the helm module's PlainManifestsTest does).
     */
    public static RenderedIngress of(String source) {
        if (source.startsWith("chart ")) {
            return new RenderedIngress(source, RenderedChart.render(VALUES.resolve(source.substring("chart ".length()))));
        }
        if (source.startsWith("k8s/")) {
            Assumptions.assumeTrue(Kustomize.available(), "kubectl is not on the PATH: no kustomize to render " + source);
            return new RenderedIngress(source, RenderedChart.of(Kustomize.build(K8S.resolve(source.substring(4)))));
        }
        throw new IllegalArgumentException("not a chart values file nor a k8s/ folder: " + source);
    }

    public IngressRules rules() {
        List<Map<String, Object>> ingresses = rendered.ofKind("Ingress");
        if (ingresses.isEmpty()) {
            throw new AssertionError(source + " renders no Ingress");
        }
        return IngressRules.of(ingresses);
    }

    /** The host of the first rule that names one (a wildcard's label filled in), or null when no rule does. */
    @SuppressWarnings("unchecked")
    public String host() {
        for (Map<String, Object> ingress : rendered.ofKind("Ingress")) {
            for (Object rule : (List<?>) ((Map<String, Object>) ingress.get("spec")).getOrDefault("rules", List.of())) {
                Object host = ((Map<String, Object>) rule).get("host");
                if (host != null) {
                    return ((String) host).replace("*", "live");
                }
            }
        }
        return null;
    }

    /**
     * The local ports behind a backend: the Service of that name must exist and have that port; its component label
     * (broadcaster-service, connection-service, counter-service) picks the running processes.
     */
    @SuppressWarnings("unchecked")
    public List<Integer> endpoints(Backend backend, LocalStack stack) {
        Map<String, Object> service = rendered.ofKind("Service").stream()
                .filter(s -> backend.service().equals(((Map<String, Object>) s.get("metadata")).get("name")))
                .findFirst()
                .orElse(null);
        if (service == null) {
            return List.of();
        }
        List<Map<String, Object>> ports = (List<Map<String, Object>>) ((Map<String, Object>) service.get("spec")).get("ports");
        boolean hasPort = ports.stream().anyMatch(p -> backend.portName() != null
                ? backend.portName().equals(p.get("name"))
                : Objects.equals(backend.portNumber(), p.get("port")));
        if (!hasPort) {
            return List.of();
        }
        Map<String, Object> labels = (Map<String, Object>) ((Map<String, Object>) service.get("metadata")).get("labels");
        String component = labels == null ? "" : String.valueOf(labels.get("app.kubernetes.io/component"));
        return switch (component) {
            case "broadcaster-service" -> stack.broadcasters().stream().map(ServiceProcess::port).toList();
            case "connection-service" -> List.of(stack.connectionService().port());
            case "counter-service" -> List.of(stack.counterService().port());
            default -> List.of();
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
