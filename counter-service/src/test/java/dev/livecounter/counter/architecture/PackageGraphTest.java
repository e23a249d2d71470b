package dev.livecounter.counter.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.testing.PackageGraph;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** counter-service's packages refer one way, and none is named for a technology while holding the domain. */
class PackageGraphTest {

    private final PackageGraph graph = PackageGraph.ofMainSources();

    @Test
    void noPackageRefersToOneThatRefersBackToIt() {
        assertEquals(List.of(), graph.cycles(), "cycles among " + graph.uses());
    }

    @Test
    void noTechnologyPackageReachesADomainOne() {
        assertEquals(List.of(), graph.technologyReachingUp(Set.of("config")));
    }
}
