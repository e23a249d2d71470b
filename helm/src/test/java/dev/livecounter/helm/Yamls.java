package dev.livecounter.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/** YAML reading and the few map operations the tests need. */
final class Yamls {

    private Yamls() {}

    /** A fresh parser each time: SnakeYAML's {@link Yaml} is not thread-safe. */
    private static Yaml yaml() {
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(dump), dump);
    }

    /** Every non-empty document of a multi-document YAML text, as maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
            if (doc instanceof Map<?, ?> map && !map.isEmpty()) {
                docs.add((Map<String, Object>) map);
            } else if (doc != null) {
                throw new IllegalArgumentException("a YAML document that is not a mapping: " + doc);
            }
        }
        return docs;
    }

    static List<Map<String, Object>> documents(Path file) {
        return documents(read(file));
    }

    /** One document that must be a mapping (an empty file gives an empty map). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Path file) {
        Object doc = yaml().load(read(file));
        return doc == null ? new LinkedHashMap<>() : (Map<String, Object>) doc;
    }

    static String dump(Object value) {
        return yaml().dump(value);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Helm's merge of a values file over the defaults: maps merge key by key, anything else replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            if (value instanceof Map<?, ?> over && merged.get(key) instanceof Map<?, ?> under) {
                merged.put(key, merge((Map<String, Object>) under, (Map<String, Object>) over));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** The value at a dotted path ("spec.template.spec"), or null. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, String dottedPath) {
        Object node = root;
        for (String key : dottedPath.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return (T) node;
    }
}
