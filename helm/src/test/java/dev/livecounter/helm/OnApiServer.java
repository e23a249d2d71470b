package dev.livecounter.helm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that apply objects to a real API server: one {@link ControlPlane} per test class, started
 * before its first test and stopped after its last, and {@link ApiObjects} to read and create objects on it.
 */
abstract class OnApiServer {

    static ControlPlane cluster;
    static ApiObjects objects;

    @BeforeAll
    static void startControlPlane() throws Exception {
        cluster = ControlPlane.start();
        objects = new ApiObjects(cluster.client());
    }

    @AfterAll
    static void stopControlPlane() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
