package dev.livecounter.common.architecture;

import dev.livecounter.common.testing.PackageRules;
import java.util.Set;

/** common's packages refer one way, and its technology package ({@code dynamodb}) uses only {@code metrics} below it. */
class PackageGraphTest extends PackageRules {

    PackageGraphTest() {
        super(Set.of("metrics"));
    }
}
