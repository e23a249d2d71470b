package dev.livecounter.helm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code kubectl kustomize}: the kustomize built into kubectl, which renders a kustomization offline. There is no
 * other kustomize here; callers skip what needs it when {@link #available()} is false.
 */
public final class Kustomize {

    private Kustomize() {}

    /** Whether kubectl is on the PATH. */
    public static boolean available() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(p -> Files.isExecutable(Path.of(p, "kubectl")));
    }

    /** The manifests the kustomization in this folder renders to; fails with kubectl's own message. */
    public static String build(Path folder) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", folder.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + folder + " took over a minute");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + folder + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
