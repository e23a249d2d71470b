package dev.livecounter.bench;

import dev.livecounter.local.ChildProcess;
import dev.livecounter.local.LocalStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js broadcast server of {@code bench/node} as a child process ({@code ws}, {@code ws-fast} or Socket.IO),
 * on a port of its own. {@code bench.sh} installs its packages (npm ci) before a run.
 */
final class NodeServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private NodeServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Path directory() {
        return LocalStack.repositoryRoot().resolve("bench/node");
    }

    /**
     * Installs the servers' packages ({@code npm ci}, bounded to two minutes) unless they are there; a machine
     * without npm or without the registry just runs without the Node baselines.
     */
    static void install() {
        if (installed()) {
            return;
        }
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(directory().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!npm.waitFor(2, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
            }
        } catch (IOException e) {
            // no npm here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean installed() {
        return Files.isDirectory(directory().resolve("node_modules/ws")) && Files.isDirectory(directory().resolve("node_modules/socket.io"));
    }

    /** Why the Node servers cannot run here, or null when they can. */
    static String unavailable() {
        if (!installed()) {
            return "no node_modules in " + directory() + " (bench.sh runs npm ci there)";
        }
        return version().startsWith("v") ? null : "node is not installed";
    }

    /** The {@code node --version} of this machine, or "(not found)". */
    static String version() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return v;
        } catch (IOException e) {
            return "(not found)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(not found)";
        }
    }

    /** Starts the server ({@code ws}, {@code ws-fast} or {@code socketio}) and waits until it listens. */
    static NodeServer start(String mode, int port, int maxSeconds) {
        try {
            Process process = new ProcessBuilder(List.of("node", "broadcast-server.js", "--port", Integer.toString(port),
                            "--mode", mode, "--max-seconds", Integer.toString(maxSeconds)))
                    .directory(directory().toFile())
                    .redirectErrorStream(true)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
            String line = out.readLine();
            if (line == null || !line.startsWith("listening")) {
                process.destroyForcibly();
                throw new IllegalStateException("node " + mode + " server did not start: " + line);
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe empty
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "node-output");
            drain.setDaemon(true);
            drain.start();
            return new NodeServer(process, port);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        ChildProcess.stop(process, Duration.ofSeconds(10));
    }
}
