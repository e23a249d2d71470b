package dev.livecounter.common.testing;

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

/**
 * The packages of one module's main sources and which of the module's other packages each refers to (imports, static
 * imports, and fully qualified names such as those in {@code @Scheduled} expressions), read from the sources as
 * text. Two rules a module's architecture test holds it to: no package refers to one that refers back to it (no
 * cycle), and a package named for a technology ({@code dynamodb}, {@code store}) refers to no domain package.
 */
public final class PackageGraph {

    /** Package names that say how, not what: they must not reach up into the domain. */
    public static final Set<String> TECHNOLOGY = Set.of("dynamodb", "store");

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A qualified name of this project's, up to (not including) its first type name. */
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.livecounter(?:\\.[a-z]\\w*)+(?=\\.[A-Z])");

    /** Package -> the module's other packages it refers to. */
    private final Map<String, Set<String>> uses = new TreeMap<>();

    private PackageGraph() {}

    /** The graph of {@code src/main/java} below the module's directory (the working directory of its tests). */
    public static PackageGraph ofMainSources() {
        return of(Path.of("src/main/java"));
    }

    static PackageGraph of(Path sources) {
        PackageGraph graph = new PackageGraph();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(text);
                if (!pkg.find()) {
                    continue;
                }
                Set<String> refs = graph.uses.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
                Matcher ref = REFERENCE.matcher(text.substring(pkg.end()));
                while (ref.find()) {
                    refs.add(ref.group());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // only the module's own packages: the module graph (common below the services) is one-way already
        graph.uses.forEach((pkg, refs) -> refs.removeIf(ref -> ref.equals(pkg) || !graph.uses.containsKey(ref)));
        return graph;
    }

    /** The module's packages and what each refers to. */
    public Map<String, Set<String>> uses() {
        return uses;
    }

    /** Each cycle found, as its packages in order (empty: none). */
    public List<List<String>> cycles() {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : uses.keySet()) {
            walk(start, new ArrayList<>(), done, cycles);
        }
        return cycles;
    }

    private void walk(String pkg, List<String> path, Set<String> done, List<List<String>> cycles) {
        int at = path.indexOf(pkg);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(pkg);
            cycles.add(cycle);
            return;
        }
        if (done.contains(pkg)) {
            return;
        }
        path.add(pkg);
        for (String next : uses.getOrDefault(pkg, Set.of())) {
            walk(next, path, done, cycles);
        }
        path.remove(path.size() - 1);
        done.add(pkg);
    }

    /**
     * Each reference of a technology package to a package that is neither a technology package nor one of
     * {@code platform} (simple names: the module's settings, metrics and the like), as "from -> to".
     */
    public List<String> technologyReachingUp(Set<String> platform) {
        List<String> found = new ArrayList<>();
        uses.forEach((pkg, refs) -> {
            if (TECHNOLOGY.contains(last(pkg))) {
                refs.stream()
                        .filter(ref -> !TECHNOLOGY.contains(last(ref)) && !platform.contains(last(ref)))
                        .forEach(ref -> found.add(pkg + " -> " + ref));
            }
        });
        return found;
    }

    private static String last(String pkg) {
        return pkg.substring(pkg.lastIndexOf('.') + 1);
    }
}
