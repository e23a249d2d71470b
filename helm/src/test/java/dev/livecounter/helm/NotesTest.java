package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What `helm install` prints afterwards: how to reach the page, and what to mind. */
class NotesTest {

    private static String notes(String valuesFile, String kubeVersion) {
        return HelmRunner.notes(HelmRunner.values(valuesFile), kubeVersion);
    }

    @Test
    void showsThePortForwardAndTheHelmTest() {
        String notes = notes("defaults.yaml", HelmRunner.KUBE_VERSION);

        assertTrue(notes.contains("kubectl --namespace live-counter port-forward svc/demo-live-counter-broadcaster-service 8080:8080"), notes);
        assertTrue(notes.contains("http://localhost:8080"), notes);
        assertTrue(notes.contains("helm test demo --namespace live-counter"), notes);
        assertTrue(notes.contains("Tables: demo-counters, demo-connections, demo-replicas in us-east-1"), notes);
        assertTrue(notes.contains("No IAM role is set"), notes);
        assertFalse(notes.contains("preStop"), notes);
    }

    @Test
    void showsTheIngressUrlAndTheWidgetSnippetWithTls() {
        String notes = notes("aws-irsa.yaml", HelmRunner.KUBE_VERSION);

        assertTrue(notes.contains("https://counter.example.com/"), notes);
        assertTrue(notes.contains("<script src=\"https://counter.example.com/widget.js\" data-counter=\"home\" async></script>"), notes);
        assertFalse(notes.contains("No IAM role is set"), notes);
    }

    @Test
    void saysWhenTheClusterHasNoPreStopSleepAndWhenCountsAreInMemory() {
        String notes = notes("dev-dynamodb-local.yaml", "1.29.0");

        assertTrue(notes.contains("http://live-counter.localtest.me/"), notes);
        assertTrue(notes.contains("Kubernetes v1.29.0 has no preStop sleep action"), notes);
        assertTrue(notes.contains("DynamoDB Local runs in the cluster, in memory"), notes);
    }

    @Test
    void saysHowToFindTheIngressWithoutAHost() {
        String notes = notes("hpa-no-ingress.yaml", HelmRunner.KUBE_VERSION);

        assertFalse(notes.contains("Through the ingress"), notes);
        assertTrue(notes.contains("port-forward"), notes);
    }
}
