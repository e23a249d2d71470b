package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** Containers the API server would refuse, and what the refusal must name; the second column is the reason. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            {name: a, image: b, imagePullPolcy: Always}                  | an unknown field            | imagePullPolcy
            {image: b}                                                   | a missing required field    | required field `name`
            {name: a, image: b, ports: [{containerPort: '80'}]}          | a string for a number       | containerPort: expected a number
            {name: a, image: b, env: [{name: X, value: 80}]}             | a number for a string       | value: expected a string
            {name: a, image: b, env: [{name: X, value: true}]}           | a boolean for a string      | value: expected a string
            """)
    void rejectsAContainerTheApiServerWouldRefuse(String container, String what, String messagePart) {
        // Gson alone would read "80" as 80, and 80 or true as a string; the API server would not
        assertRejected(deployment(container), messagePart);
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
