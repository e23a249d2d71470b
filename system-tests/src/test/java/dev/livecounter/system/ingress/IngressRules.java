package dev.livecounter.system.ingress;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The routing of Kubernetes Ingress objects ({@code networking.k8s.io/v1}), decided the way the Ingress spec
 * describes it (kubernetes.io/docs/concepts/services-networking/ingress, "Path types", "Multiple matches",
 * "Hostname wildcards"):
 *
 * <ul>
 *   <li>{@code Exact} matches the path exactly, case-sensitively; {@code Prefix} matches element by element of the
 *       {@code /}-separated path ({@code /foo} matches {@code /foo}, {@code /foo/} and {@code /foo/bar}, never
 *       {@code /foobar}), a trailing slash on either side ignored. {@code ImplementationSpecific} is taken as
 *       {@code Prefix}, which is what ingress-nginx does without regex annotations.
 *   <li>Of several matching paths the longest wins; at equal length {@code Exact} beats {@code Prefix}.
 *   <li>A rule's host is matched against the request's host without its port, case-insensitively; {@code *.foo.com}
 *       covers exactly one more label. A rule without a host applies to every host.
 *   <li>A request is decided by the rules of the most specific host that matches it (exact, then wildcard, then
 *       the rules without host), as ingress-nginx's one server block per host does; where none of those rules'
 *       paths match, the {@code spec.defaultBackend} if there is one, else nothing (the caller answers 404).
 * </ul>
 *
 * <p>The path matched is the request path with percent-escapes decoded and dot segments removed, as nginx matches
 * locations: {@code /assets/../health} is {@code /health}.
 */
public final class IngressRules {

    /** Where a request goes: a Service and its port, by name or by number (the other one null). */
    public record Backend(String service, String portName, Integer portNumber) {}

    private record Path(String host, String path, String type, Backend backend) {}

    private final List<Path> paths;
    private final Backend defaultBackend;

    private IngressRules(List<Path> paths, Backend defaultBackend) {
        this.paths = List.copyOf(paths);
        this.defaultBackend = defaultBackend;
    }

    /** The rules of these Ingress documents (parsed YAML), merged as one controller merges them. */
    public static IngressRules of(List<Map<String, Object>> ingresses) {
        List<Path> paths = new ArrayList<>();
        Backend defaultBackend = null;
        for (Map<String, Object> ingress : ingresses) {
            if (!"Ingress".equals(ingress.get("kind"))) {
                throw new IllegalArgumentException("not an Ingress: " + ingress.get("kind"));
            }
            Map<String, Object> spec = map(ingress.get("spec"));
            if (spec.get("defaultBackend") != null) {
                defaultBackend = backend(map(spec.get("defaultBackend")));
            }
            for (Object ruleValue : list(spec.get("rules"))) {
                Map<String, Object> rule = map(ruleValue);
                String host = rule.get("host") == null ? null : ((String) rule.get("host")).toLowerCase(Locale.ROOT);
                for (Object pathValue : list(map(rule.get("http")).get("paths"))) {
                    Map<String, Object> path = map(pathValue);
                    String type = (String) path.get("pathType");
                    String value = (String) path.getOrDefault("path", "/");
                    if (!List.of("Exact", "Prefix", "ImplementationSpecific").contains(type)) {
                        throw new IllegalArgumentException("pathType must be Exact, Prefix or ImplementationSpecific: " + path);
                    }
                    if (!value.startsWith("/")) {
                        throw new IllegalArgumentException("an Ingress path must be absolute: " + value);
                    }
                    paths.add(new Path(host, value, type.equals("Exact") ? "Exact" : "Prefix", backend(map(path.get("backend")))));
                }
            }
        }
        return new IngressRules(paths, defaultBackend);
    }

    /**
     * Where a request for this Host header value and request target goes, or empty for a 404.
     *
     * @param hostHeader the Host header (a port is ignored), or null
     * @param target the request target in origin form, e.g. {@code /assets/app.js?v=1}
     */
    public Optional<Backend> route(String hostHeader, String target) {
        String host = hostHeader == null ? "" : stripPort(hostHeader.strip()).toLowerCase(Locale.ROOT);
        String path = normalize(target);
        for (int specificity = 2; specificity >= 0; specificity--) {
            int level = specificity;
            List<Path> ofHost = paths.stream().filter(p -> hostSpecificity(p.host(), host) == level).toList();
            if (!ofHost.isEmpty()) {
                return best(ofHost, path).or(() -> Optional.ofNullable(defaultBackend));
            }
        }
        return Optional.ofNullable(defaultBackend);
    }

    private static Optional<Backend> best(List<Path> candidates, String path) {
        Path best = null;
        for (Path candidate : candidates) {
            if (!matches(candidate, path)) {
                continue;
            }
            if (best == null
                    || candidate.path().length() > best.path().length()
                    || (candidate.path().length() == best.path().length()
                            && candidate.type().equals("Exact")
                            && best.type().equals("Prefix"))) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best).map(Path::backend);
    }

    private static boolean matches(Path rule, String path) {
        if (rule.type().equals("Exact")) {
            return rule.path().equals(path);
        }
        List<String> prefix = elements(rule.path());
        List<String> request = elements(path);
        return request.size() >= prefix.size() && request.subList(0, prefix.size()).equals(prefix);
    }

    /** 2: the rule names exactly this host; 1: a wildcard covering it; 0: the rule has no host; -1: no match. */
    private static int hostSpecificity(String ruleHost, String host) {
        if (ruleHost == null) {
            return 0;
        }
        if (ruleHost.startsWith("*.")) {
            String suffix = ruleHost.substring(1);
            int firstLabelEnd = host.length() - suffix.length();
            return host.endsWith(suffix) && firstLabelEnd > 0 && host.lastIndexOf('.', firstLabelEnd - 1) < 0 ? 1 : -1;
        }
        return ruleHost.equals(host) ? 2 : -1;
    }

    private static List<String> elements(String path) {
        return Arrays.stream(path.split("/")).filter(e -> !e.isEmpty()).toList();
    }

    /** The path of a request target, percent-decoded, with dot segments removed (RFC 3986 5.2.4). */
    static String normalize(String target) {
        int query = target.indexOf('?');
        String raw = query < 0 ? target : target.substring(0, query);
        String decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        Deque<String> kept = new ArrayDeque<>();
        String[] segments = decoded.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("..")) {
                kept.pollLast();
                if (last) {
                    kept.addLast("");
                }
            } else if (segment.equals(".")) {
                if (last) {
                    kept.addLast("");
                }
            } else {
                kept.addLast(segment);
            }
        }
        return "/" + String.join("/", kept);
    }

    private static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static Backend backend(Map<String, Object> backend) {
        Map<String, Object> service = map(backend.get("service"));
        if (service.isEmpty()) {
            throw new IllegalArgumentException("only Service backends are routed here: " + backend);
        }
        Map<String, Object> port = map(service.get("port"));
        return new Backend((String) service.get("name"), (String) port.get("name"), (Integer) port.get("number"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }
}
