package dev.livecounter.helm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.CreateOptions;
import io.kubernetes.client.util.generic.options.ListOptions;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.util.List;
import java.util.Map;

/**
 * Any namespaced object of the kinds the chart and the manifests make (plus what the controllers make of them),
 * read and written as JSON through client-java's dynamic API.
 */
final class ApiObjects {

    /** Group/version and resource of each kind, e.g. apps/v1 deployments. */
    private record Resource(String group, String version, String plural) {}

    private static final Map<String, Resource> RESOURCES = Map.ofEntries(
            Map.entry("Deployment", new Resource("apps", "v1", "deployments")),
            Map.entry("ReplicaSet", new Resource("apps", "v1", "replicasets")),
            Map.entry("Pod", new Resource("", "v1", "pods")),
            Map.entry("Service", new Resource("", "v1", "services")),
            Map.entry("ConfigMap", new Resource("", "v1", "configmaps")),
            Map.entry("Secret", new Resource("", "v1", "secrets")),
            Map.entry("ServiceAccount", new Resource("", "v1", "serviceaccounts")),
            Map.entry("Event", new Resource("", "v1", "events")),
            Map.entry("Ingress", new Resource("networking.k8s.io", "v1", "ingresses")),
            Map.entry("NetworkPolicy", new Resource("networking.k8s.io", "v1", "networkpolicies")),
            Map.entry("PodDisruptionBudget", new Resource("policy", "v1", "poddisruptionbudgets")),
            Map.entry("HorizontalPodAutoscaler", new Resource("autoscaling", "v2", "horizontalpodautoscalers")));

    /** Every kind a release of the chart may leave behind: what an uninstall must remove. */
    static final List<String> RELEASE_KINDS = List.of(
            "Deployment", "ReplicaSet", "Pod", "Service", "ConfigMap", "Secret", "ServiceAccount",
            "Ingress", "NetworkPolicy", "PodDisruptionBudget", "HorizontalPodAutoscaler");

    private final ApiClient client;

    ApiObjects(ApiClient client) {
        this.client = client;
    }

    /** The object, or null when there is none. */
    JsonObject get(String kind, String namespace, String name) {
        KubernetesApiResponse<DynamicKubernetesObject> response = api(kind).get(namespace, name);
        if (response.getHttpStatusCode() == 404) {
            return null;
        }
        return check(response, kind + " " + namespace + "/" + name).getObject().getRaw();
    }

    /** The objects of this kind in the namespace whose labels match the selector (null: all). */
    List<JsonObject> list(String kind, String namespace, String labelSelector) {
        ListOptions options = new ListOptions();
        if (labelSelector != null) {
            options.labelSelector(labelSelector);
        }
        var response = api(kind).list(namespace, options);
        if (!response.isSuccess()) {
            throw new AssertionError("listing " + kind + " in " + namespace + ": " + response.getStatus());
        }
        return response.getObject().getItems().stream().map(DynamicKubernetesObject::getRaw).toList();
    }

    /** Server-side apply: creates the object or makes its fields owned by this manager what the object says. */
    JsonObject apply(JsonObject object, String namespace, String fieldManager) {
        String kind = object.get("kind").getAsString();
        JsonObject copy = object.deepCopy();
        copy.getAsJsonObject("metadata").addProperty("namespace", namespace);
        String name = copy.getAsJsonObject("metadata").get("name").getAsString();
        var response = api(kind).patch(namespace, name, V1Patch.PATCH_FORMAT_APPLY_YAML, new V1Patch(copy.toString()),
                new PatchOptions().fieldManager(fieldManager).force(true));
        return check(response, "applying " + kind + " " + namespace + "/" + name).getObject().getRaw();
    }

    JsonObject create(JsonObject object, String namespace) {
        String kind = object.get("kind").getAsString();
        var response = api(kind).create(namespace, new DynamicKubernetesObject(object), new CreateOptions());
        return check(response, "creating " + kind + " in " + namespace).getObject().getRaw();
    }

    /** Replaces the object (a listed one carries no kind, hence the parameter). */
    JsonObject update(String kind, JsonObject object) {
        JsonObject typed = object.deepCopy();
        Resource resource = resource(kind);
        typed.addProperty("kind", kind);
        typed.addProperty("apiVersion", (resource.group().isEmpty() ? "" : resource.group() + "/") + resource.version());
        var response = api(kind).update(new DynamicKubernetesObject(typed));
        return check(response, "updating " + kind).getObject().getRaw();
    }

    void delete(String kind, String namespace, String name) {
        var response = api(kind).delete(namespace, name);
        if (response.getHttpStatusCode() != 404) {
            check(response, "deleting " + kind + " " + namespace + "/" + name);
        }
    }

    /** A namespace that enforces the restricted Pod Security level: a Pod that breaks it is refused. */
    void restrictedNamespace(String name) {
        V1Namespace namespace = new V1Namespace()
                .metadata(new V1ObjectMeta()
                        .name(name)
                        .labels(Map.of(
                                "pod-security.kubernetes.io/enforce", "restricted",
                                "pod-security.kubernetes.io/enforce-version", "latest")));
        try {
            new CoreV1Api(client).createNamespace(namespace).execute();
        } catch (ApiException e) {
            throw new AssertionError("creating namespace " + name + ": " + e.getResponseBody(), e);
        }
    }

    /**
     * Waits until the controller manager has made Pods of every Deployment's current template in the namespace
     * (with {@code everyReplica}, all of them), then checks that no Pod was refused: a Pod the admission chain
     * refuses shows only as a FailedCreate event of its ReplicaSet.
     */
    void assertPodsAdmitted(String namespace, boolean everyReplica) {
        List<JsonObject> deployments = list("Deployment", namespace, null);
        if (deployments.isEmpty()) {
            throw new AssertionError("no Deployment in " + namespace);
        }
        // a refused Pod fails at once: the ReplicaSet would only retry it with backoff
        ControlPlane.await("Pods of every Deployment in " + namespace, () -> {
            assertNoneRefused(namespace);
            return list("Deployment", namespace, null).stream().allMatch(d -> created(d, everyReplica));
        });
        assertNoneRefused(namespace);
    }

    private void assertNoneRefused(String namespace) {
        List<String> refused = failedCreates(namespace);
        if (!refused.isEmpty()) {
            throw new AssertionError("Pods refused in " + namespace + ": " + refused);
        }
    }

    /** The messages of the namespace's FailedCreate events, e.g. a Pod Security violation. */
    List<String> failedCreates(String namespace) {
        return list("Event", namespace, null).stream()
                .filter(e -> "FailedCreate".equals(e.get("reason").getAsString()))
                .map(e -> at(e, "involvedObject.name").getAsString() + ": " + e.get("message").getAsString())
                .map(message -> message.replaceAll("pods \"[^\"]+\" ", "pods ")) // one line per cause, not per Pod
                .distinct()
                .toList();
    }

    private static boolean created(JsonObject deployment, boolean everyReplica) {
        JsonElement generation = at(deployment, "metadata.generation");
        JsonElement observed = at(deployment, "status.observedGeneration");
        if (observed == null || observed.getAsLong() != generation.getAsLong()) {
            return false;
        }
        JsonElement wanted = at(deployment, "spec.replicas");
        JsonElement updated = at(deployment, "status.updatedReplicas");
        JsonElement replicas = at(deployment, "status.replicas");
        int updatedCount = updated == null ? 0 : updated.getAsInt();
        return everyReplica
                ? updatedCount == wanted.getAsInt() && replicas != null && replicas.getAsInt() == wanted.getAsInt()
                : updatedCount >= Math.min(1, wanted.getAsInt());
    }

    /** A field by a dotted path, e.g. "spec.replicas", or null where the path ends. */
    static JsonElement at(JsonObject object, String path) {
        JsonElement current = object;
        for (String key : path.split("\\.")) {
            if (current == null || !current.isJsonObject()) {
                return null;
            }
            current = current.getAsJsonObject().get(key);
        }
        return current == null || current.isJsonNull() ? null : current;
    }

    static String name(JsonObject object) {
        return object.getAsJsonObject("metadata").get("name").getAsString();
    }

    private DynamicKubernetesApi api(String kind) {
        Resource resource = resource(kind);
        return new DynamicKubernetesApi(resource.group(), resource.version(), resource.plural(), client);
    }

    private static Resource resource(String kind) {
        Resource resource = RESOURCES.get(kind);
        if (resource == null) {
            throw new IllegalArgumentException("no resource known for kind " + kind);
        }
        return resource;
    }

    private static KubernetesApiResponse<DynamicKubernetesObject> check(
            KubernetesApiResponse<DynamicKubernetesObject> response, String what) {
        try {
            return response.throwsApiException();
        } catch (ApiException e) {
            throw new AssertionError(what + " refused (" + response.getHttpStatusCode() + "): "
                    + (response.getStatus() == null ? e.getMessage() : response.getStatus().getMessage()), e);
        }
    }
}
