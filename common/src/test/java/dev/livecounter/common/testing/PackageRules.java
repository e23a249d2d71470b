package dev.livecounter.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The package rules every module's architecture test holds its main sources to (a module's {@code PackageGraphTest}
 * extends this): no package refers to one that refers back to it, and a technology package ({@code dynamodb},
 * {@code store}) refers to no package of the module but other technology packages and the module's {@code platform}.
 */
public abstract class PackageRules {

    private final PackageGraph graph = PackageGraph.ofMainSources();
    private final Set<String> platform;

    /** @param platform simple names of the packages a technology package may use (settings, metrics) */
    protected PackageRules(Set<String> platform) {
        this.platform = platform;
    }

    @Test
    void noPackageRefersToOneThatRefersBackToIt() {
        assertEquals(List.of(), graph.cycles(), "cycles among " + graph.uses());
    }

    @Test
    void noTechnologyPackageReachesADomainOne() {
        assertEquals(List.of(), graph.technologyReachingUp(platform));
    }
}
