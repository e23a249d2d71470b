package dev.livecounter.local;

import java.net.URI;

/**
 * A running DynamoDB Local: a container where a Docker engine answers (testcontainers), else a child process
 * started from the Maven artifact. Either way it speaks the real DynamoDB and DynamoDB Streams APIs.
 */
public interface DynamoDbLocal extends AutoCloseable {

    /** The image of DynamoDB Local from its Maven artifact, built locally by {@code images/build-local.sh}. */
    String IMAGE = "localhost:5001/live-counter-dynamodb-local:2.6.1";

    /** The endpoint to give the SDK as its endpoint override. */
    URI endpoint();

    /** Stops it and waits until it is gone. */
    @Override
    void close();

    /**
     * Starts one. {@code -Dlivecounter.dynamodb-local=process|container} forces a kind; by default a container is
     * used only when a Docker engine answers and already holds every image it needs (decided in a few seconds,
     * nothing pulled), else the child process.
     */
    static DynamoDbLocal start() {
        String kind = System.getProperty("livecounter.dynamodb-local", "auto");
        boolean container = switch (kind) {
            case "container" -> true;
            case "process" -> false;
            default -> ContainerDynamoDbLocal.usable();
        };
        return container ? ContainerDynamoDbLocal.start() : ProcessDynamoDbLocal.start();
    }
}
