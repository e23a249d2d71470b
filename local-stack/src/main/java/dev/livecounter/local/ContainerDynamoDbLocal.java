package dev.livecounter.local;

import java.net.URI;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * DynamoDB Local in a container, for machines with a Docker engine that holds the image built from the Maven
 * artifact by {@code images/build-local.sh} (nothing is pulled).
 */
record ContainerDynamoDbLocal(GenericContainer<?> container) implements DynamoDbLocal {

    static final DockerImageName IMAGE = DockerImageName.parse(DynamoDbLocal.IMAGE);

    /**
     * Whether a container can start here without pulling anything: the engine answers, the image is present and
     * testcontainers' reaper is either switched off ({@code TESTCONTAINERS_RYUK_DISABLED=true}) or its image is
     * present too. Says in one log line why it falls back when an engine answers but cannot serve.
     */
    static boolean usable() {
        if (!DockerProbe.engineAnswers()) {
            return false; // no engine: the child process, silently, as on a machine without Docker
        }
        String missing = null;
        if (!DockerProbe.imagePresent(IMAGE.asCanonicalNameString())) {
            missing = IMAGE.asCanonicalNameString();
        } else if (!Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            String ryuk = TestcontainersConfiguration.getInstance().getRyukImage();
            missing = DockerProbe.imagePresent(ryuk) ? null : ryuk + " (or set TESTCONTAINERS_RYUK_DISABLED=true)";
        }
        if (missing != null) {
            System.err.println("[local-stack] Docker answers but " + missing
                    + " is not present locally; nothing is pulled: DynamoDB Local runs as a child process");
            return false;
        }
        return true;
    }

    @SuppressWarnings("resource")
    static ContainerDynamoDbLocal start() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                // the image's entrypoint runs ServerRunner; these are its arguments
                .withCommand("-inMemory", "-disableTelemetry", "-port", "8000")
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
