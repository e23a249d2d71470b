package dev.livecounter.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages by job, one way: no package of this service uses one that uses it back, directly or around a loop. Read
 * from the service's own sources (imports and fully qualified names in code, comments left out), so a new class
 * that closes a loop fails the build, not a review.
 */
class PackageCyclesTest {

    private static final String ROOT = "dev.livecounter.broadcaster";
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A project type named in full: the package is the lower-case part before the first upper-case name. */
    private static final Pattern REFERENCE = Pattern.compile("\\b" + Pattern.quote(ROOT) + "((?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void noPackageUsesOneThatUsesItBack() {
        Map<String, Set<String>> graph = graph(Path.of("src/main/java"));
        // read for real: the service's known edges are there
        assertTrue(graph.getOrDefault("websocket", Set.of()).contains("session"), graph::toString);
        assertTrue(graph.getOrDefault("session", Set.of()).contains("fanout"), graph::toString);
        assertEquals(List.of(), cycle(graph), "a package cycle in " + graph);
    }

    @Test
    void aLoopOverThreePackagesIsFound() {
        Map<String, Set<String>> graph = Map.of(
                "websocket", Set.of("session"),
                "session", Set.of("tables", "metrics"),
                "tables", Set.of("protocol"),
                "metrics", Set.of("websocket"));
        assertEquals(List.of("metrics", "websocket", "session", "metrics"), cycle(graph));
        assertEquals(List.of(), cycle(Map.of("websocket", Set.of("session"), "session", Set.of("protocol"))));
    }

    /** Package (relative to the service's root, {@code ""} for the root) -> the project packages it names. */
    static Map<String, Set<String>> graph(Path sources) {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
                Matcher declared = PACKAGE.matcher(code);
                if (!declared.find() || !declared.group(1).startsWith(ROOT)) {
                    continue;
                }
                String from = relative(declared.group(1).substring(ROOT.length()));
                Set<String> uses = graph.computeIfAbsent(from, p -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(code);
                while (reference.find()) {
                    String to = relative(reference.group(1));
                    if (!to.equals(from)) {
                        uses.add(to);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(graph.size() > 5, "read the sources of " + sources.toAbsolutePath());
        return graph;
    }

    private static String relative(String suffix) {
        return suffix.startsWith(".") ? suffix.substring(1) : suffix;
    }

    /** A loop, as the packages around it (the first again at the end), or empty when there is none. */
    static List<String> cycle(Map<String, Set<String>> graph) {
        Set<String> done = new TreeSet<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            List<String> loop = walk(graph, start, new ArrayList<>(), done);
            if (!loop.isEmpty()) {
                return loop;
            }
        }
        return List.of();
    }

    private static List<String> walk(Map<String, Set<String>> graph, String at, List<String> path, Set<String> done) {
        int seen = path.indexOf(at);
        if (seen >= 0) {
            List<String> loop = new ArrayList<>(path.subList(seen, path.size()));
            loop.add(at);
            return loop;
        }
        if (done.contains(at)) {
            return List.of();
        }
        path.add(at);
        for (String next : new TreeSet<>(graph.getOrDefault(at, Set.of()))) {
            List<String> loop = walk(graph, next, path, done);
            if (!loop.isEmpty()) {
                return loop;
            }
        }
        path.remove(path.size() - 1);
        done.add(at);
        return List.of();
    }
}
