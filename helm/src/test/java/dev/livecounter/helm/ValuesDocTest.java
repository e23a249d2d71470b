package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * values.yaml, its {@code ## @param} lines, values.schema.json and the chart README cannot drift apart.
 *
 * <p>The README's parameter tables are generated from the {@code ## @param} lines; after changing values.yaml,
 * {@code ./mvnw -pl helm test -Dtest=ValuesDocTest -Dreadme.update=true} rewrites them.
 */
class ValuesDocTest {

    private static final Path VALUES = HelmRunner.CHART.resolve("values.yaml");
    private static final Path SCHEMA = HelmRunner.CHART.resolve("values.schema.json");
    private static final Path README = HelmRunner.CHART.resolve("README.md");
    private static final String START = "<!-- parameters:start (generated from values.yaml by ValuesDocTest) -->";
    private static final String END = "<!-- parameters:end -->";
    private static final Pattern PARAM = Pattern.compile("^\\s*## @param (\\S+) (.+)$");
    private static final Pattern SECTION = Pattern.compile("^\\s*## @section (.+)$");

    private record Param(String section, String key, String description) {}

    private final Map<String, Object> values = Yamls.map(VALUES);

    private static List<Param> params() {
        List<Param> params = new ArrayList<>();
        String section = "";
        for (String line : Yamls.read(VALUES).split("\n")) {
            Matcher s = SECTION.matcher(line);
            Matcher p = PARAM.matcher(line);
            if (s.matches()) {
                section = s.group(1).trim();
            } else if (p.matches()) {
                params.add(new Param(section, p.group(1), p.group(2).trim()));
            }
        }
        return params;
    }

    /** Every key path that holds a value: scalars, lists and empty maps; non-empty maps are walked into. */
    private static void leaves(Map<String, Object> map, String prefix, List<String> out) {
        map.forEach((key, value) -> {
            String path = prefix + key;
            if (value instanceof Map<?, ?> child && !child.isEmpty()) {
                leaves((Map<String, Object>) child, path + ".", out);
            } else {
                out.add(path);
            }
        });
    }

    private Object valueAt(String key) {
        Object node = values;
        for (String part : key.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return Missing.VALUE;
            }
            node = map.get(part);
        }
        return node;
    }

    private enum Missing { VALUE }

    @Test
    void everyParamLineNamesAKeyOfValuesYaml() {
        List<String> unknown = params().stream().map(Param::key).filter(k -> valueAt(k) == Missing.VALUE).toList();

        assertEquals(List.of(), unknown, "## @param lines for keys values.yaml does not have");
    }

    @Test
    void everyKeyOfValuesYamlHasExactlyOneParamLine() {
        List<String> keys = params().stream().map(Param::key).toList();
        List<String> leaves = new ArrayList<>();
        leaves(values, "", leaves);
        List<String> problems = new ArrayList<>();

        for (String leaf : leaves) {
            // a key is documented by its own line or by the line of the object that holds it (e.g. resources)
            long lines = keys.stream().filter(k -> leaf.equals(k) || leaf.startsWith(k + ".")).count();
            if (lines != 1) {
                problems.add(leaf + " has " + lines + " ## @param lines");
            }
        }
        for (String key : keys) {
            if (keys.stream().filter(key::equals).count() > 1) {
                problems.add(key + " is documented twice");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theReadmeParameterTablesMatchTheParamLines() throws IOException {
        String readme = Yamls.read(README);
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertTrue(start >= 0 && end > start, README + " lacks the markers " + START + " ... " + END);
        String expected = START + "\n" + tables() + END;

        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(README, readme.substring(0, start) + expected + readme.substring(end + END.length()));
            return;
        }
        String actual = readme.substring(start, end + END.length());
        if (!actual.equals(expected)) {
            fail(README + " is out of date; run ./mvnw -pl helm test -Dtest=ValuesDocTest -Dreadme.update=true,"
                    + " or put in:\n" + expected);
        }
    }

    private String tables() {
        StringBuilder out = new StringBuilder();
        String section = null;
        for (Param param : params()) {
            if (!param.section().equals(section)) {
                section = param.section();
                out.append("\n### ").append(section).append("\n\n")
                        .append("| Name | Description | Value |\n")
                        .append("| ---- | ----------- | ----- |\n");
            }
            out.append("| `").append(param.key()).append("` | ")
                    .append(markdown(param.description())).append(" | `")
                    .append(shown(valueAt(param.key())).replace("|", "\\|")).append("` |\n");
        }
        return out.append("\n").toString();
    }

    /** Table-safe, and "<release>" stays visible instead of being taken for an HTML tag. */
    private static String markdown(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String shown(Object value) {
        if (value instanceof String s) {
            return s.isEmpty() ? "\"\"" : s;
        }
        return value instanceof Map<?, ?> || value instanceof List<?> ? new Gson().toJson(value) : String.valueOf(value);
    }

    // --- values.schema.json -------------------------------------------------------------------------------

    private final Map<String, Object> schema = new Gson().fromJson(Yamls.read(SCHEMA), Map.class);

    private Map<String, Object> resolve(Map<String, Object> node) {
        Object ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        String name = ((String) ref).substring("#/definitions/".length());
        return resolve(Yamls.at(schema, "definitions." + name));
    }

    @Test
    void theSchemaListsExactlyTheKeysOfEveryBlockOfValuesYaml() {
        List<String> problems = new ArrayList<>();
        compare(values, schema, "", problems);

        assertEquals(List.of(), problems);
    }

    /** Below a documented key (e.g. resources) the schema may allow more than the defaults show. */
    private void compare(Map<String, Object> block, Map<String, Object> node, String prefix, List<String> problems) {
        Map<String, Object> properties = (Map<String, Object>) resolve(node).get("properties");
        TreeSet<String> schemaKeys = new TreeSet<>(properties.keySet());
        schemaKeys.remove("global"); // Helm's own key, allowed at the top only
        if (!schemaKeys.equals(new TreeSet<>(block.keySet()))) {
            problems.add("'" + prefix + "': values.yaml has " + new TreeSet<>(block.keySet()) + ", schema " + schemaKeys);
            return;
        }
        List<String> documented = params().stream().map(Param::key).toList();
        block.forEach((key, value) -> {
            String path = prefix + key;
            if (value instanceof Map<?, ?> child && !child.isEmpty() && !documented.contains(path)) {
                compare((Map<String, Object>) child, (Map<String, Object>) properties.get(key), path + ".", problems);
            }
        });
    }

    @Test
    void everyObjectInTheSchemaSaysWhetherItTakesOtherKeys() {
        List<String> problems = new ArrayList<>();
        walk(schema, "", problems);

        assertEquals(List.of(), problems);
    }

    private void walk(Object node, String path, List<String> problems) {
        if (node instanceof Map<?, ?> map) {
            boolean isObject = "object".equals(map.get("type"));
            if (isObject && !map.containsKey("additionalProperties")) {
                problems.add(path + ": an object without additionalProperties");
            }
            if (map.containsKey("properties") && !Boolean.FALSE.equals(map.get("additionalProperties"))) {
                problems.add(path + ": lists its keys but takes others too (additionalProperties is not false)");
            }
            new LinkedHashMap<>((Map<String, Object>) map).forEach((k, v) -> walk(v, path + "/" + k, problems));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, path + "[]", problems));
        }
    }
}
