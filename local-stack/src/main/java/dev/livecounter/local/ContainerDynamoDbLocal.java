package dev.livecounter.local;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** DynamoDB Local in a container, for machines with a Docker engine. */
final class ContainerDynamoDbLocal implements DynamoDbLocal {

    static final DockerImageName IMAGE = DockerImageName.parse("amazon/dynamodb-local:2.6.1");

    private final GenericContainer<?> container;

    private ContainerDynamoDbLocal(GenericContainer<?> container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        boolean configured = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        if (!configured) {
            return false; // asking testcontainers would only log a page of errors
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    static ContainerDynamoDbLocal start() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withCommand("-jar", "DynamoDBLocal.jar", "-inMemory", "-disableTelemetry")
                .withExposedPorts(8000)
                .waitingFor(Wait.forListeningPort());
        container.start();
        return new ContainerDynamoDbLocal(container);
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(8000));
    }

    @Override
    public void close() {
        container.stop();
    }
}
