package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator every other test relies on really refuses what the API server would refuse. */
class KubernetesModelTest {

    private static Map<String, Object> deployment(String container) {
        return Yamls.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers:
                        - %s
                """.formatted(container)).get(0);
    }

    private static void assertRejected(Map<String, Object> document, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KubernetesModel.validate(document));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void acceptsAValidDeploymentWithQuantitiesAndNamedPorts() {
        assertDoesNotThrow(() -> KubernetesModel.validate(deployment(
                "{name: a, image: b, ports: [{name: http, containerPort: 80}], resources: {limits: {cpu: 1, memory: 64Mi}},"
                        + " readinessProbe: {httpGet: {path: /, port: http}}, lifecycle: {preStop: {sleep: {seconds: 5}}}}")));
    }

    @Test
    void rejectsAnUnknownField() {
        assertRejected(deployment("{name: a, image: b, imagePullPolcy: Always}"), "imagePullPolcy");
    }

    @Test
    void rejectsAMissingRequiredField() {
        assertRejected(deployment("{image: b}"), "required field `name`");
    }

    @Test
    void rejectsAStringWhereANumberBelongs() {
        // Gson alone would read "80" as 80; the API server would not
        assertRejected(deployment("{name: a, image: b, ports: [{containerPort: '80'}]}"), "containerPort: expected a number");
    }

    @Test
    void rejectsANumberOrBooleanWhereAStringBelongs() {
        assertRejected(deployment("{name: a, image: b, env: [{name: X, value: 80}]}"), "value: expected a string");
        assertRejected(deployment("{name: a, image: b, env: [{name: X, value: true}]}"), "value: expected a string");
    }

    @Test
    void rejectsAnUnknownKind() {
        assertRejected(Map.of("apiVersion", "v1", "kind", "Podd", "metadata", Map.of("name", "x")), "no Kubernetes API model");
    }

    @Test
    void rejectsSecretDataThatIsNotBase64() {
        assertRejected(
                Yamls.documents("{apiVersion: v1, kind: Secret, metadata: {name: s}, data: {k: 'not base64!'}}").get(0), "Secret s");
    }
}
