package dev.livecounter.common.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.testing.PackageGraph;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** common's packages refer one way: no cycle, and its technology package uses only the platform below it. */
class PackageGraphTest {

    private final PackageGraph graph = PackageGraph.ofMainSources();

    @Test
    void noPackageRefersToOneThatRefersBackToIt() {
        assertEquals(List.of(), graph.cycles(), "cycles among " + graph.uses());
    }

    @Test
    void theDynamoDbPackageReachesNoDomainPackage() {
        assertEquals(List.of(), graph.technologyReachingUp(Set.of("metrics")));
    }
}
