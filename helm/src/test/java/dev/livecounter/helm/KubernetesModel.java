package dev.livecounter.helm;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.util.ModelMapper;
import java.lang.reflect.Field;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Checks a manifest against the Kubernetes API model of client-java, as strictly as the API server's
 * strict field validation.
 *
 * <p>The generated models' {@code validateJsonElement} already rejects unknown fields and missing required
 * fields, and Gson rejects most wrong types. Gson is lenient in two ways the API server is not: it reads the
 * string "80" as a number and {@code true} or {@code 80} as a string. So after parsing, the input is walked
 * side by side with the parsed model, and every JSON type must be the one the model field has (numbers are
 * allowed for {@link Quantity} and {@link IntOrString}, as the API allows them).
 */
final class KubernetesModel {

    private static final Gson PLAIN = new Gson();

    private static final String MODELS = "io.kubernetes.client.openapi.models";

    private KubernetesModel() {}

    /** Parses the document as its model class; throws {@link IllegalArgumentException} naming the document. */
    static Object validate(Map<String, Object> document) {
        String apiVersion = (String) document.get("apiVersion");
        String kind = (String) document.get("kind");
        String name = Yamls.at(document, "metadata.name");
        String what = kind + " " + name + " (" + apiVersion + ")";
        Class<?> type = apiVersion == null || kind == null ? null : ModelMapper.getApiTypeClass(apiVersion, kind);
        // an unknown kind maps to DynamicKubernetesObject, which takes anything
        if (type == null || !type.getPackageName().equals(MODELS)) {
            throw new IllegalArgumentException(what + ": no Kubernetes API model for this apiVersion and kind");
        }
        JsonElement json = PLAIN.toJsonTree(document);
        try {
            Object model = JSON.getGson().fromJson(json, type);
            checkTypes(json, model, "");
            return model;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static void checkTypes(JsonElement json, Object model, String path) {
        if (json.isJsonNull()) {
            return; // an explicit null is an unset field for the API server too
        }
        if (model instanceof Quantity || model instanceof IntOrString) {
            expect(json.isJsonPrimitive() && !json.getAsJsonPrimitive().isBoolean(), path, "a string or a number", json);
        } else if (model instanceof String || model instanceof OffsetDateTime || model instanceof byte[]) {
            expect(json.isJsonPrimitive() && json.getAsJsonPrimitive().isString(), path, "a string", json);
        } else if (model instanceof Number) {
            expect(json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber(), path, "a number", json);
        } else if (model instanceof Boolean) {
            expect(json.isJsonPrimitive() && json.getAsJsonPrimitive().isBoolean(), path, "a boolean", json);
        } else if (model instanceof List<?> list) {
            expect(json.isJsonArray(), path, "a list", json);
            for (int i = 0; i < list.size(); i++) {
                checkTypes(json.getAsJsonArray().get(i), list.get(i), path + "[" + i + "]");
            }
        } else if (model instanceof Map<?, ?> map) {
            expect(json.isJsonObject(), path, "an object", json);
            for (Map.Entry<String, JsonElement> entry : json.getAsJsonObject().entrySet()) {
                checkTypes(entry.getValue(), map.get(entry.getKey()), path + "." + entry.getKey());
            }
        } else if (model != null) {
            expect(json.isJsonObject(), path, "an object", json);
            checkFields(json.getAsJsonObject(), model, path);
        } else {
            throw new IllegalArgumentException(path + ": " + json + " was dropped by the model");
        }
    }

    private static void checkFields(JsonObject json, Object model, String path) {
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            Field field = field(model.getClass(), entry.getKey());
            if (field == null) {
                throw new IllegalArgumentException(path + "." + entry.getKey() + ": unknown field");
            }
            try {
                field.setAccessible(true);
                checkTypes(entry.getValue(), field.get(model), path + "." + entry.getKey());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Field field(Class<?> type, String jsonName) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                SerializedName name = field.getAnnotation(SerializedName.class);
                if (name != null && name.value().equals(jsonName)) {
                    return field;
                }
            }
        }
        return null;
    }

    private static void expect(boolean ok, String path, String expected, JsonElement actual) {
        if (!ok) {
            String shown = actual instanceof JsonPrimitive p && p.isString() ? "the string " + p : actual.toString();
            throw new IllegalArgumentException(path + ": expected " + expected + ", got " + shown);
        }
    }
}
