package dev.livecounter.connection.architecture;

import dev.livecounter.common.testing.PackageRules;
import java.util.Set;

/** connection-service's packages refer one way, and {@code store} reaches no domain package (only {@code config}). */
class PackageGraphTest extends PackageRules {

    PackageGraphTest() {
        super(Set.of("config"));
    }
}
