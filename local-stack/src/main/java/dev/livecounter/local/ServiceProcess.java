package dev.livecounter.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the three services run as its own JVM from its module's build output ({@code target/classes} plus the
 * runtime classpath its build wrote), exactly as its image runs it, with configuration from the environment.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final String module;
    private final String mainClass;
    private final int port;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private ChildProcess process;

    /**
     * A service to start from its module's build output.
     *
     * @param port the port it will listen on, as its configuration (env) makes it; used to reach it
     */
    public ServiceProcess(String name, String module, String mainClass, int port, Map<String, String> env, List<String> jvmOptions) {
        this.name = name;
        this.module = module;
        this.mainClass = mainClass;
        this.port = port;
        this.env = Map.copyOf(env);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Map<String, String> env() {
        return env;
    }

    /**
     * A copy of this service, not started, whose environment differs in one variable: to start it again
     * reconfigured (stop this one first; it listens on the same port).
     */
    public ServiceProcess withEnv(String variable, String value) {
        Map<String, String> changed = new java.util.HashMap<>(env);
        changed.put(variable, value);
        return new ServiceProcess(name, module, mainClass, port, changed, jvmOptions);
    }

    public ChildProcess process() {
        return process;
    }

    /** Starts the JVM (again, after a stop or kill). */
    public synchronized ServiceProcess start() {
        Path moduleDir = LocalStack.repositoryRoot().resolve(module);
        Path classpathFile = moduleDir.resolve("target/runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: build first with ./mvnw -DskipTests package");
        }
        try {
            String classpath = moduleDir.resolve("target/classes") + java.io.File.pathSeparator
                    + Files.readString(classpathFile).strip();
            List<String> command = new ArrayList<>();
            command.add(ChildProcess.javaBinary());
            command.addAll(jvmOptions);
            // e.g. -Dlivecounter.jvm.connection-service="-XX:StartFlightRecording=filename=c.jfr" to profile one service
            String extra = System.getProperty("livecounter.jvm." + name, "").strip();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-cp", classpath, mainClass));
            process = ChildProcess.start(name, command, env, LocalStack.logDirectory().resolve(name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Waits until {@code /health} answers 200 (dependencies up). */
    public ServiceProcess awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + process.log());
            }
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(baseUri().resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            ChildProcess.pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException(name + " not healthy within " + timeout + "; see " + process.log());
    }

    /** SIGTERM and wait: the graceful path (drain sockets, hand back leases). */
    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(40));
        }
    }

    /** SIGKILL: the crash path. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }
}
