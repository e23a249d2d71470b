package dev.livecounter.system.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.system.ingress.IngressRules.Backend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The routing decisions of the Ingress as each way of installing renders it, without a running system (IngressPageIT
 * sends real requests through the same rules): the paths a browser uses reach the broadcaster's http port, the
 * internal ones reach nothing.
 */
class RenderedIngressTest {

    /** What the pages and the widget ask for, the tables page and its demo write endpoint included. */
    private static final List<String> ROUTED = List.of("/", "/?counter=home", "/ws", "/widget.js", "/assets/app.js",
            "/assets/tables.js", "/api/counters/home", "/tables", "/tables/", "/tables/orders/items");

    private static final List<String> NOT_ROUTED = List.of("/internal/broadcast", "/health", "/health/readiness",
            "/prometheus", "/connections", "/counters", "/tablesx", "/tables/../health", "/tables/%2e%2e/prometheus",
            "/api/../internal/broadcast");

    @ParameterizedTest
    @ValueSource(strings = {"chart defaults.yaml", "chart aws-irsa.yaml", "k8s/overlays/dev", "k8s/overlays/aws"})
    void whatABrowserUsesGoesToTheBroadcasterAndNothingInternalIsRouted(String source) {
        RenderedIngress ingress = RenderedIngress.of(source);
        IngressRules rules = ingress.rules();
        String host = ingress.host() == null ? "counter.example.org" : ingress.host();

        List<String> wrong = new ArrayList<>();
        for (String path : ROUTED) {
            Backend backend = rules.route(host, path).orElse(null);
            if (backend == null || !backend.service().endsWith("-broadcaster-service") || !"http".equals(backend.portName())) {
                wrong.add(path + " -> " + backend);
            }
        }
        for (String path : NOT_ROUTED) {
            rules.route(host, path).ifPresent(backend -> wrong.add(path + " -> " + backend));
        }
        assertEquals(List.of(), wrong, source);
    }
}
