package dev.livecounter.counter.architecture;

import dev.livecounter.common.testing.PackageRules;
import java.util.Set;

/** counter-service's packages refer one way; it has no technology package, and a new one would reach no domain one. */
class PackageGraphTest extends PackageRules {

    PackageGraphTest() {
        super(Set.of("config"));
    }
}
