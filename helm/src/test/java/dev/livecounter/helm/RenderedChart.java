package dev.livecounter.helm;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The documents of a rendered chart (or of any manifests) and, per Deployment, what its first container
 * would run with: the environment, the ports and the probes. Meant for reuse, e.g. to start the services
 * with exactly the environment the chart gives them.
 *
 * <p>Environment values are resolved as the kubelet would, in order: {@code envFrom} ConfigMaps found among
 * the documents, then {@code env} (a later name wins). What only a cluster can fill in shows as a marker:
 * {@code <fieldRef:status.podIP>}, {@code <secretKeyRef:NAME/KEY>}, {@code <configMapKeyRef:NAME/KEY>},
 * {@code <resourceFieldRef:limits.memory>}; a ConfigMap that is not among the documents shows as one
 * {@code <configMapRef:NAME>} entry. {@code $(VAR)} references are left as they are.
 */
public final class RenderedChart {

    /** A probe's HTTP path and port (a port name or number), or its TCP port with a null path. */
    public record Probe(String path, String port) {}

    /** One Deployment's first container. */
    public record Workload(
            String deployment,
            String component,
            String image,
            Map<String, String> env,
            Map<String, Integer> ports,
            Map<String, Probe> probes,
            Map<String, Object> podSpec) {

        /** The container port of that name; fails when there is none. */
        public int port(String name) {
            return Objects.requireNonNull(ports.get(name), () -> deployment + " has no port named " + name);
        }
    }

    private final List<Map<String, Object>> documents;

    private RenderedChart(List<Map<String, Object>> documents) {
        this.documents = List.copyOf(documents);
    }

    /** Renders the chart with this values file, release {@value HelmRunner#RELEASE}, Kubernetes 1.31. */
    public static RenderedChart render(Path valuesFile) {
        return of(HelmRunner.template(valuesFile));
    }

    public static RenderedChart render(Path valuesFile, String releaseName) {
        return of(HelmRunner.template(valuesFile, releaseName, HelmRunner.KUBE_VERSION, null));
    }

    /** Any multi-document YAML, e.g. plain manifests or {@code kubectl kustomize} output. */
    public static RenderedChart of(String yaml) {
        return new RenderedChart(Yamls.documents(yaml));
    }

    public static RenderedChart of(List<Map<String, Object>> documents) {
        return new RenderedChart(documents);
    }

    public List<Map<String, Object>> documents() {
        return documents;
    }

    public List<Map<String, Object>> ofKind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    /** The one document of this kind and name; fails when there is none. */
    public Map<String, Object> get(String kind, String name) {
        return ofKind(kind).stream()
                .filter(d -> name.equals(Yamls.at(d, "metadata.name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** Every Deployment by name, in document order. */
    public Map<String, Workload> workloads() {
        Map<String, Workload> workloads = new LinkedHashMap<>();
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            Workload workload = workload(deployment);
            workloads.put(workload.deployment(), workload);
        }
        return workloads;
    }

    /** The Deployment whose label app.kubernetes.io/component is this, e.g. "broadcaster-service". */
    public Workload workload(String component) {
        return workloads().values().stream()
                .filter(w -> component.equals(w.component()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment of component " + component));
    }

    private Workload workload(Map<String, Object> deployment) {
        Map<String, Object> podSpec = Yamls.at(deployment, "spec.template.spec");
        List<Map<String, Object>> containers = Yamls.at(podSpec, "containers");
        Map<String, Object> container = containers.get(0);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map<String, Object> port : list(container.get("ports"))) {
            ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
        }
        Map<String, Probe> probes = new LinkedHashMap<>();
        for (String probe : List.of("startup", "liveness", "readiness")) {
            Map<String, Object> spec = Yamls.at(container, probe + "Probe");
            if (spec != null) {
                Object httpPath = Yamls.at(spec, "httpGet.path");
                Object port = httpPath != null ? Yamls.at(spec, "httpGet.port") : Yamls.at(spec, "tcpSocket.port");
                probes.put(probe, new Probe((String) httpPath, String.valueOf(port)));
            }
        }
        return new Workload(
                Yamls.at(deployment, "metadata.name"),
                componentLabel(deployment),
                (String) container.get("image"),
                env(container),
                ports,
                probes,
                podSpec);
    }

    private static String componentLabel(Map<String, Object> deployment) {
        Map<String, Object> labels = Yamls.at(deployment, "metadata.labels");
        return labels == null ? null : (String) labels.get("app.kubernetes.io/component");
    }

    private Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> source : list(container.get("envFrom"))) {
            String configMap = Yamls.at(source, "configMapRef.name");
            if (configMap == null) {
                throw new IllegalArgumentException("only configMapRef is resolved in envFrom: " + source);
            }
            Map<String, Object> found = ofKind("ConfigMap").stream()
                    .filter(d -> configMap.equals(Yamls.at(d, "metadata.name")))
                    .findFirst()
                    .orElse(null);
            if (found == null) {
                env.put("<configMapRef:" + configMap + ">", "");
            } else {
                Map<String, Object> data = Yamls.at(found, "data");
                if (data != null) {
                    data.forEach((k, v) -> env.put(k, String.valueOf(v)));
                }
            }
        }
        for (Map<String, Object> variable : list(container.get("env"))) {
            env.put((String) variable.get("name"), value(variable));
        }
        return env;
    }

    private static String value(Map<String, Object> variable) {
        if (variable.containsKey("value")) {
            return String.valueOf(variable.get("value"));
        }
        Map<String, Object> from = Yamls.at(variable, "valueFrom");
        if (from == null) {
            return "";
        }
        if (from.get("fieldRef") != null) {
            return "<fieldRef:" + Yamls.at(from, "fieldRef.fieldPath") + ">";
        }
        if (from.get("resourceFieldRef") != null) {
            return "<resourceFieldRef:" + Yamls.at(from, "resourceFieldRef.resource") + ">";
        }
        for (String ref : List.of("secretKeyRef", "configMapKeyRef")) {
            if (from.get(ref) != null) {
                return "<" + ref + ":" + Yamls.at(from, ref + ".name") + "/" + Yamls.at(from, ref + ".key") + ">";
            }
        }
        throw new IllegalArgumentException("unknown valueFrom: " + from);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
