package dev.livecounter.helm;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code helm rollback RELEASE REVISION}, which helm-java 0.0.21 lacks (its native library exports no rollback),
 * done as Helm 3's {@code action.Rollback} does it, on the release records Helm itself keeps in the namespace
 * (Secrets {@code sh.helm.release.v1.NAME.vN}, gzipped JSON): a new revision with the target revision's chart,
 * values and manifest, marked "Rollback to N"; the objects of the target manifest applied, those only in the
 * current one deleted; the previous deployed revisions superseded. Helm (helm-java's history, upgrade and
 * uninstall) then reads and continues from that record.
 *
 * <p>One difference: the objects are applied server-side (field manager "helm", forced) where Helm's default is a
 * client-side three-way merge. Both set every field the target manifest names, which is what a rollback of this
 * chart changes (values, not the set of fields).
 */
final class HelmRollback {

    private static final Gson GSON = new Gson();
    private static final String FIELD_MANAGER = "helm";

    private HelmRollback() {}

    /** Rolls the release in the namespace back to the revision; returns the new revision. */
    static int rollback(ApiObjects objects, String namespace, String release, int revision) {
        List<JsonObject> records = objects.list("Secret", namespace, "owner=helm,name=" + release).stream()
                .sorted(Comparator.comparingInt(HelmRollback::version))
                .toList();
        if (records.isEmpty()) {
            throw new IllegalStateException("release " + release + " not found in " + namespace);
        }
        JsonObject currentRecord = records.get(records.size() - 1);
        JsonObject previousRecord = records.stream()
                .filter(r -> version(r) == revision)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("release has no " + revision + " version"));
        JsonObject current = decode(currentRecord);
        JsonObject previous = decode(previousRecord);

        JsonObject target = previous.deepCopy();
        int targetVersion = current.get("version").getAsInt() + 1;
        target.addProperty("version", targetVersion);
        JsonObject info = target.getAsJsonObject("info");
        info.add("first_deployed", current.getAsJsonObject("info").get("first_deployed"));
        info.addProperty("last_deployed", Instant.now().toString());
        info.addProperty("status", "pending-rollback");
        info.addProperty("description", "Rollback to " + revision);
        JsonObject targetRecord = record(previousRecord, release, targetVersion, target);
        targetRecord = objects.create(targetRecord, namespace);

        List<JsonObject> targetObjects = manifestObjects(target, release, namespace);
        Set<String> targetKeys = targetObjects.stream().map(HelmRollback::key).collect(Collectors.toSet());
        for (JsonObject object : targetObjects) {
            objects.apply(object, namespace, FIELD_MANAGER);
        }
        for (JsonObject object : manifestObjects(current, release, namespace)) {
            if (!targetKeys.contains(key(object))) {
                objects.delete(object.get("kind").getAsString(), namespace, ApiObjects.name(object));
            }
        }

        for (JsonObject record : records) {
            JsonObject stored = decode(record);
            if ("deployed".equals(stored.getAsJsonObject("info").get("status").getAsString())) {
                stored.getAsJsonObject("info").addProperty("status", "superseded");
                objects.update("Secret", withRelease(record, stored));
            }
        }
        target.getAsJsonObject("info").addProperty("status", "deployed");
        objects.update("Secret", withRelease(targetRecord, target));
        return targetVersion;
    }

    /** The release JSON of a record: base64 (on top of the Secret's own) of gzipped JSON. */
    static JsonObject decode(JsonObject record) {
        byte[] stored = Base64.getDecoder().decode(record.getAsJsonObject("data").get("release").getAsString());
        byte[] compressed = Base64.getDecoder().decode(stored);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(JsonObject release) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(release.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] helmEncoded = Base64.getEncoder().encode(bytes.toByteArray());
        return Base64.getEncoder().encodeToString(helmEncoded);
    }

    private static JsonObject record(JsonObject like, String release, int version, JsonObject content) {
        JsonObject labels = like.getAsJsonObject("metadata").getAsJsonObject("labels").deepCopy();
        labels.remove("modifiedAt");
        labels.addProperty("name", release);
        labels.addProperty("owner", "helm");
        labels.addProperty("version", String.valueOf(version));
        labels.addProperty("createdAt", String.valueOf(Instant.now().getEpochSecond()));
        JsonObject metadata = new JsonObject();
        metadata.addProperty("name", "sh.helm.release.v1." + release + ".v" + version);
        metadata.add("labels", labels);
        JsonObject record = new JsonObject();
        record.addProperty("apiVersion", "v1");
        record.addProperty("kind", "Secret");
        record.add("metadata", metadata);
        record.addProperty("type", like.get("type").getAsString());
        return withRelease(record, content);
    }

    private static JsonObject withRelease(JsonObject record, JsonObject release) {
        JsonObject updated = record.deepCopy();
        JsonObject data = new JsonObject();
        data.addProperty("release", encode(release));
        updated.add("data", data);
        updated.getAsJsonObject("metadata").getAsJsonObject("labels")
                .addProperty("status", release.getAsJsonObject("info").get("status").getAsString());
        updated.getAsJsonObject("metadata").getAsJsonObject("labels")
                .addProperty("modifiedAt", String.valueOf(Instant.now().getEpochSecond()));
        return updated;
    }

    /** The manifest's objects with the ownership Helm writes on each (so a later upgrade adopts them). */
    private static List<JsonObject> manifestObjects(JsonObject release, String name, String namespace) {
        return Yamls.documents(release.get("manifest").getAsString()).stream()
                .map(document -> {
                    JsonObject object = GSON.toJsonTree(document).getAsJsonObject();
                    JsonObject metadata = object.getAsJsonObject("metadata");
                    if (!metadata.has("labels")) {
                        metadata.add("labels", new JsonObject());
                    }
                    metadata.getAsJsonObject("labels").addProperty("app.kubernetes.io/managed-by", "Helm");
                    if (!metadata.has("annotations")) {
                        metadata.add("annotations", new JsonObject());
                    }
                    metadata.getAsJsonObject("annotations").addProperty("meta.helm.sh/release-name", name);
                    metadata.getAsJsonObject("annotations").addProperty("meta.helm.sh/release-namespace", namespace);
                    return object;
                })
                .toList();
    }

    private static String key(JsonObject object) {
        return object.get("kind").getAsString() + "/" + ApiObjects.name(object);
    }

    private static int version(JsonObject record) {
        Map<?, ?> labels = GSON.fromJson(record.getAsJsonObject("metadata").get("labels"), Map.class);
        return Integer.parseInt((String) labels.get("version"));
    }
}
