package dev.livecounter.connection.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.testing.PackageGraph;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** connection-service's packages refer one way: no cycle, and its store reaches no domain package. */
class PackageGraphTest {

    private final PackageGraph graph = PackageGraph.ofMainSources();

    @Test
    void noPackageRefersToOneThatRefersBackToIt() {
        assertEquals(List.of(), graph.cycles(), "cycles among " + graph.uses());
    }

    @Test
    void theStoreReachesNoDomainPackage() {
        assertEquals(List.of(), graph.technologyReachingUp(Set.of("config")));
    }
}
