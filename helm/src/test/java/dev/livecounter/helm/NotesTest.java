package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What `helm install` prints afterwards: how to reach the page, and what to mind. */
class NotesTest {

    /** The notes of one value set on one Kubernetes version: lines they must say and lines they must not. */
    record Case(String name, String valuesFile, String kubeVersion, List<String> says, List<String> doesNotSay) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("the port-forward and the helm test", "defaults.yaml", HelmRunner.KUBE_VERSION,
                        List.of("kubectl --namespace live-counter port-forward svc/demo-live-counter-broadcaster-service 8080:8080",
                                "http://localhost:8080",
                                "helm test demo --namespace live-counter",
                                "Tables: demo-counters, demo-connections, demo-replicas in us-east-1",
                                "No IAM role is set"),
                        List.of("preStop")),
                new Case("the ingress URL and the widget snippet with TLS", "aws-irsa.yaml", HelmRunner.KUBE_VERSION,
                        List.of("https://counter.example.com/",
                                "<script src=\"https://counter.example.com/widget.js\" data-counter=\"home\" async></script>"),
                        List.of("No IAM role is set")),
                new Case("no preStop sleep on the cluster, counts in memory", "dev-dynamodb-local.yaml", "1.29.0",
                        List.of("http://live-counter.localtest.me/",
                                "Kubernetes v1.29.0 has no preStop sleep action",
                                "DynamoDB Local runs in the cluster, in memory"),
                        List.of()),
                new Case("how to find the page without an ingress", "hpa-no-ingress.yaml", HelmRunner.KUBE_VERSION,
                        List.of("port-forward"),
                        List.of("Through the ingress")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void notesSayWhatThisInstallNeeds(Case c) {
        String notes = HelmRunner.notes(HelmRunner.values(c.valuesFile()), c.kubeVersion());

        assertAll(Stream.concat(
                c.says().stream().map(line -> () -> assertTrue(notes.contains(line), "missing " + line + " in\n" + notes)),
                c.doesNotSay().stream().map(line -> () -> assertFalse(notes.contains(line), "has " + line + " in\n" + notes))));
    }
}
