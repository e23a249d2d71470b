package dev.livecounter.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * DynamoDB Local as a child process from the Maven artifact on this JVM's classpath. A child process, not
 * in-process: the embedded server leaves a non-daemon thread that keeps a JVM alive for minutes after stop.
 */
record ProcessDynamoDbLocal(ChildProcess process, int port) implements DynamoDbLocal {

    static ProcessDynamoDbLocal start() {
        int port = Ports.free();
        List<String> command = List.of(
                ChildProcess.javaBinary(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "com.amazonaws.services.dynamodbv2.local.main.ServerRunner",
                "-inMemory",
                "-port",
                Integer.toString(port),
                "-disableTelemetry");
        Path log = LocalStack.logDirectory().resolve("dynamodb-local.log");
        try {
            ChildProcess process = ChildProcess.start("dynamodb-local", command, java.util.Map.of(), log);
            Ports.awaitListening(port, Duration.ofSeconds(60), process);
            return new ProcessDynamoDbLocal(process, port);
        } catch (IOException e) {
            throw new IllegalStateException("could not start DynamoDB Local: " + e.getMessage(), e);
        }
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        process.kill();
    }
}
