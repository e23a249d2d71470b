package dev.livecounter.system.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livecounter.system.ingress.IngressRules.Backend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The matcher against the Kubernetes Ingress spec's own example tables, and the host and path edge cases. */
class IngressRulesTest {

    /**
     * The spec's "Examples" table of path matching: each row's paths (type, space-separated) in one Ingress, each
     * path to a Service named after it; the request path; the path that serves it, or "none".
     */
    @ParameterizedTest(name = "{0} {1} <- {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            Prefix | /                  | /anything/at/all | /
            Exact  | /foo               | /foo             | /foo
            Exact  | /foo               | /bar             | none
            Exact  | /foo               | /foo/            | none
            Exact  | /foo/              | /foo             | none
            Prefix | /foo               | /foo             | /foo
            Prefix | /foo               | /foo/            | /foo
            Prefix | /foo/              | /foo             | /foo/
            Prefix | /foo/              | /foo/            | /foo/
            Prefix | /aaa/bb            | /aaa/bbb         | none
            Prefix | /aaa/bbb           | /aaa/bbb         | /aaa/bbb
            Prefix | /aaa/bbb/          | /aaa/bbb         | /aaa/bbb/
            Prefix | /aaa/bbb           | /aaa/bbb/        | /aaa/bbb
            Prefix | /aaa/bbb           | /aaa/bbb/ccc     | /aaa/bbb
            Prefix | /aaa/bbb           | /aaabbb          | none
            Prefix | / /aaa             | /aaa/ccc         | /aaa
            Prefix | / /aaa /aaa/bbb    | /aaa/bbb         | /aaa/bbb
            Prefix | / /aaa /aaa/bbb    | /ccc             | /
            Prefix | /aaa               | /ccc             | none
            """)
    void pathsMatchAsTheSpecsExamplesSay(String type, String paths, String request, String expected) {
        List<Map<String, Object>> rulePaths = new ArrayList<>();
        for (String path : paths.split(" ")) {
            rulePaths.add(path(path, type, path));
        }
        IngressRules rules = IngressRules.of(List.of(ingress(null, Map.of("paths", rulePaths))));

        assertEquals(expected, served(rules, null, request));
    }

    @Test
    void exactBeatsPrefixOfTheSameLengthAndTheLongestPathWins() {
        IngressRules rules = IngressRules.of(List.of(ingress(null, Map.of("paths", List.of(
                path("/foo", "Prefix", "prefix"), path("/foo", "Exact", "exact"), path("/foo/bar", "Prefix", "longer"))))));

        assertEquals("exact", served(rules, null, "/foo"));
        assertEquals("prefix", served(rules, null, "/foo/"));
        assertEquals("longer", served(rules, null, "/foo/bar/baz"));
    }

    /** The spec's "Hostname wildcards" table, and a port in the Host header that does not matter. */
    @ParameterizedTest(name = "{0} <- {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            *.foo.com   | bar.foo.com       | yes
            *.foo.com   | baz.bar.foo.com   | no
            *.foo.com   | foo.com           | no
            foo.bar.com | foo.bar.com       | yes
            foo.bar.com | FOO.bar.com:8080  | yes
            foo.bar.com | bar.foo.com       | no
            """)
    void hostsMatchAsTheSpecsWildcardTableSays(String ruleHost, String hostHeader, String matches) {
        IngressRules rules = IngressRules.of(List.of(ingress(ruleHost, Map.of("paths", List.of(path("/", "Prefix", "page"))))));

        assertEquals(matches.equals("yes") ? "page" : "none", served(rules, hostHeader, "/"));
    }

    @Test
    void theMostSpecificHostDecidesAndARuleWithoutHostTakesEveryOtherHost() {
        IngressRules rules = IngressRules.of(List.of(
                ingress(null, Map.of("paths", List.of(path("/", "Prefix", "any")))),
                ingress("*.foo.com", Map.of("paths", List.of(path("/", "Prefix", "wildcard")))),
                ingress("a.foo.com", Map.of("paths", List.of(path("/only", "Exact", "exact-host"))))));

        assertEquals("exact-host", served(rules, "a.foo.com", "/only"));
        assertEquals("none", served(rules, "a.foo.com", "/other"), "the host's own rules decide, as one server block");
        assertEquals("wildcard", served(rules, "b.foo.com", "/other"));
        assertEquals("any", served(rules, "elsewhere.example", "/other"));
        assertEquals("any", served(rules, null, "/"));
    }

    @Test
    void theDefaultBackendTakesWhatNoRuleMatches() {
        Map<String, Object> ingress = ingress("foo.com", Map.of("paths", List.of(path("/app", "Exact", "app"))));
        Map<String, Object> spec = new LinkedHashMap<>(map(ingress.get("spec")));
        spec.put("defaultBackend", Map.of("service", Map.of("name", "fallback", "port", Map.of("number", 80))));
        IngressRules rules = IngressRules.of(List.of(Map.of("kind", "Ingress", "spec", spec)));

        assertEquals("app", served(rules, "foo.com", "/app"));
        assertEquals("fallback", served(rules, "foo.com", "/other"));
        assertEquals("fallback", served(rules, "bar.com", "/app"));
    }

    @Test
    void implementationSpecificIsTakenAsPrefix() {
        IngressRules rules = IngressRules.of(List.of(ingress(null, Map.of("paths", List.of(
                path("/assets", "ImplementationSpecific", "assets"))))));

        assertEquals("assets", served(rules, null, "/assets/app.js"));
        assertEquals("none", served(rules, null, "/assetsx"));
    }

    @Test
    void thePathIsMatchedDecodedAndWithoutDotSegmentsOrQuery() {
        IngressRules rules = IngressRules.of(List.of(ingress(null, Map.of("paths", List.of(
                path("/", "Exact", "page"), path("/assets", "Prefix", "assets"))))));

        assertEquals("page", served(rules, null, "/?counter=home"));
        assertEquals("assets", served(rules, null, "/assets/app.js?v=2"));
        assertEquals("none", served(rules, null, "/assets/../health"));
        assertEquals("none", served(rules, null, "/assets/%2e%2e/internal/broadcast"));
        assertEquals("page", served(rules, null, "/assets/.."));
        assertEquals("assets", served(rules, null, "/%61ssets/style.css"));
    }

    @Test
    void aPathTypeOrPathOutsideTheSpecIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IngressRules.of(List.of(ingress(null, Map.of("paths",
                List.of(path("/", "Regex", "x")))))));
        assertThrows(IllegalArgumentException.class, () -> IngressRules.of(List.of(ingress(null, Map.of("paths",
                List.of(path("relative", "Prefix", "x")))))));
    }

    private static String served(IngressRules rules, String host, String target) {
        return rules.route(host, target).map(Backend::service).orElse("none");
    }

    private static Map<String, Object> path(String path, String type, String service) {
        return Map.of("path", path, "pathType", type, "backend",
                Map.of("service", Map.of("name", service, "port", Map.of("name", "http"))));
    }

    private static Map<String, Object> ingress(String host, Map<String, Object> http) {
        Map<String, Object> rule = new LinkedHashMap<>();
        if (host != null) {
            rule.put("host", host);
        }
        rule.put("http", http);
        return Map.of("kind", "Ingress", "spec", Map.of("rules", List.of(rule)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
