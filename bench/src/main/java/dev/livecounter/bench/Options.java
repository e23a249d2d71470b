package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code --key=value} arguments with defaults. */
final class Options {
    private final Map<String, String> values;

    Options(Map<String, String> values) {
        this.values = new HashMap<>(values);
    }

    static Options parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return new Options(values);
    }

    static Options of(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return new Options(values);
    }

    String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int integer(String key, int fallback, int min, int max) {
        int v = values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
        if (v < min || v > max) {
            throw new IllegalArgumentException("--" + key + " must be within " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    double number(String key, double fallback, double min, double max) {
        double v = values.containsKey(key) ? Double.parseDouble(values.get(key)) : fallback;
        if (v < min || v > max) {
            throw new IllegalArgumentException("--" + key + " must be within " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    boolean flag(String key, boolean fallback) {
        return values.containsKey(key) ? Boolean.parseBoolean(values.get(key)) : fallback;
    }

    /** Sets a broadcaster environment variable when the option is given. */
    void env(String key, String variable, LocalStack.Builder builder) {
        if (values.containsKey(key)) {
            builder.broadcasterEnv(variable, values.get(key));
        }
    }

    void ifPresent(String key, Consumer<String> action) {
        if (values.containsKey(key)) {
            action.accept(values.get(key));
        }
    }
}
