package dev.livecounter.broadcaster.page;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ES modules joined into one classic script: an entry module and every module it imports, each once, in dependency
 * order, each in a closure of its own (so two modules' top-level names never meet) that returns its exports, all
 * inside one closure that leaves nothing global. What a bundler does, for the small subset of module syntax the page's
 * scripts use (ESLint's config keeps them to it):
 *
 * <ul>
 *   <li>{@code import { a, b as c } from './x.js';} (may span lines) and {@code import * as x from './x.js';},
 *       relative specifiers only;
 *   <li>{@code export} before a top-level {@code function}, {@code async function}, {@code const}, {@code let} or
 *       {@code class} declaration of one name, and {@code export { a, b as c };}.
 * </ul>
 *
 * <p>Anything else at the start of a line ({@code export default}, a bare {@code import './x.js'}), a name imported
 * that its module does not export, a missing module or an import cycle fails with the file and what is wrong: at
 * start-up, not in a visitor's browser. Exports are read once, after the module ran: fine for functions and
 * constants, the only things these modules export (no live {@code let} bindings).
 */
final class ModuleBundle {

    private static final Pattern IMPORT = Pattern.compile(
            "^import\\s*(?:\\{([^}]*)\\}|\\*\\s*as\\s+([A-Za-z_$][\\w$]*))\\s*from\\s*'([^']+)';[ \\t]*$",
            Pattern.MULTILINE);
    private static final Pattern EXPORT_DECLARATION = Pattern.compile(
            "^export\\s+((?:async\\s+)?function\\*?|const|let|class)\\s+([A-Za-z_$][\\w$]*)", Pattern.MULTILINE);
    private static final Pattern EXPORT_LIST = Pattern.compile("^export\\s*\\{([^}]*)\\};?[ \\t]*$", Pattern.MULTILINE);
    private static final Pattern LEFT_OVER = Pattern.compile("^[ \\t]*(?:import|export)(?=[\\s{*'\"])", Pattern.MULTILINE);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][\\w$]*");

    private final Function<String, String> sources;
    private final Map<String, Module> done = new LinkedHashMap<>();
    private final Set<String> inProgress = new LinkedHashSet<>();

    private record Module(String path, String variable, String body, Map<String, String> exports) {}

    private ModuleBundle(Function<String, String> sources) {
        this.sources = sources;
    }

    /**
     * The classic script of the module at {@code entry} and all it imports.
     *
     * @param entry the entry module's path, absolute ({@code /widget/widget.js}); imports resolve against it
     * @param sources a module's text by its path, or {@code null} when there is none
     * @throws IllegalStateException naming the module and the problem, for anything outside the subset above
     */
    static String bundle(String entry, Function<String, String> sources) {
        ModuleBundle bundle = new ModuleBundle(sources);
        bundle.load(entry);
        StringBuilder out = new StringBuilder("(() => {\n'use strict';\n");
        for (Module module : bundle.done.values()) {
            out.append("\n// ").append(module.path.substring(1)).append('\n');
            if (module.path.equals(entry)) {
                out.append("(() => {\n").append(module.body).append("})();\n");
            } else {
                out.append("const ").append(module.variable).append(" = (() => {\n").append(module.body)
                        .append("return { ").append(returned(module.exports)).append(" };\n})();\n");
            }
        }
        return out.append("})();\n").toString();
    }

    private Module load(String path) {
        Module known = done.get(path);
        if (known != null) {
            return known;
        }
        if (!inProgress.add(path)) {
            throw new IllegalStateException("import cycle: " + String.join(" -> ", inProgress) + " -> " + path);
        }
        String text = sources.apply(path);
        if (text == null) {
            throw new IllegalStateException("module " + path + " is missing");
        }
        String body = imports(path, text);
        Map<String, String> exports = new LinkedHashMap<>();
        body = exportDeclarations(path, body, exports);
        body = exportLists(path, body, exports);
        Matcher left = LEFT_OVER.matcher(body);
        if (left.find()) {
            throw new IllegalStateException(path + ": unsupported module syntax at \"" + line(body, left.start())
                    + "\" (named imports and exports of declarations only)");
        }
        if (!body.endsWith("\n")) {
            body += "\n";
        }
        inProgress.remove(path);
        Module module = new Module(path, "__module" + done.size(), body, exports);
        done.put(path, module);
        return module;
    }

    /** Each import line becomes a const taking the names from the imported module's closure. */
    private String imports(String path, String text) {
        Matcher m = IMPORT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Module dependency = load(resolve(path, m.group(3)));
            String replacement;
            if (m.group(2) != null) {
                replacement = "const " + m.group(2) + " = " + dependency.variable + ";";
            } else {
                List<String> names = new ArrayList<>();
                for (String[] pair : specifiers(path, m.group(1))) {
                    if (!dependency.exports.containsKey(pair[0])) {
                        throw new IllegalStateException(path + " imports " + pair[0] + ", which " + dependency.path
                                + " does not export");
                    }
                    names.add(pair[0].equals(pair[1]) ? pair[0] : pair[0] + ": " + pair[1]);
                }
                replacement = "const { " + String.join(", ", names) + " } = " + dependency.variable + ";";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    private static String exportDeclarations(String path, String body, Map<String, String> exports) {
        Matcher m = EXPORT_DECLARATION.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            export(path, exports, m.group(2), m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + " " + m.group(2)));
        }
        return m.appendTail(out).toString();
    }

    private static String exportLists(String path, String body, Map<String, String> exports) {
        Matcher m = EXPORT_LIST.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            for (String[] pair : specifiers(path, m.group(1))) {
                export(path, exports, pair[1], pair[0]);
            }
            m.appendReplacement(out, "");
        }
        return m.appendTail(out).toString();
    }

    private static void export(String path, Map<String, String> exports, String exported, String local) {
        if (exports.put(exported, local) != null) {
            throw new IllegalStateException(path + " exports " + exported + " twice");
        }
    }

    /** {@code a, b as c} -> [a, a], [b, c]: the name before and after "as". */
    private static List<String[]> specifiers(String path, String list) {
        List<String[]> pairs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : list.split(",")) {
            String[] words = part.trim().split("\\s+as\\s+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue; // a trailing comma
            }
            String from = words[0].trim();
            String to = words.length == 2 ? words[1].trim() : from;
            if (words.length > 2 || !NAME.matcher(from).matches() || !NAME.matcher(to).matches() || !seen.add(to)) {
                throw new IllegalStateException(path + ": cannot read \"" + part.trim() + "\" in { " + list.trim() + " }");
            }
            pairs.add(new String[] {from, to});
        }
        return pairs;
    }

    private static String resolve(String from, String specifier) {
        if (!specifier.startsWith("./") && !specifier.startsWith("../")) {
            throw new IllegalStateException(from + " imports '" + specifier + "': only relative paths are bundled");
        }
        return URI.create(from).resolve(specifier).normalize().getPath();
    }

    private static String returned(Map<String, String> exports) {
        List<String> entries = new ArrayList<>();
        exports.forEach((exported, local) -> entries.add(exported.equals(local) ? local : exported + ": " + local));
        return String.join(", ", entries);
    }

    private static String line(String text, int at) {
        int end = text.indexOf('\n', at);
        return text.substring(at, end < 0 ? text.length() : end).trim();
    }
}
