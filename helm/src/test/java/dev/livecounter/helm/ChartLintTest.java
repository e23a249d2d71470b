package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm lint --strict} passes for every value set we ship and fails on a misspelt key. */
class ChartLintTest {

    /** The value sets under src/test/resources/values that must lint and render cleanly. */
    static List<String> valueSets() {
        return List.of("defaults.yaml", "dev-dynamodb-local.yaml", "aws-irsa.yaml", "hpa-no-ingress.yaml");
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void lintStrictPasses(String valuesFile) {
        LintResult result = HelmRunner.lintStrict(HelmRunner.values(valuesFile));

        assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
        // --strict fails on warnings; an [INFO] (e.g. "icon is recommended") is allowed
        assertTrue(
                result.getMessages().stream().allMatch(m -> m.startsWith("[INFO]")),
                () -> String.join("\n", result.getMessages()));
    }

    @Test
    void aMisspeltKeyFailsLintThroughTheSchema() {
        LintResult result = HelmRunner.lintStrict(HelmRunner.values("typo.yaml"));

        assertTrue(result.isFailed(), "lint passed with broadcaster.replcaCount");
        String messages = String.join("\n", result.getMessages());
        assertTrue(messages.contains("values.yaml"), messages);
        assertTrue(messages.contains("/broadcaster"), messages);
        assertTrue(messages.contains("additional properties 'replcaCount' not allowed"), messages);
    }

    @Test
    void aMisspeltKeyFailsTemplateToo() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> HelmRunner.template(HelmRunner.values("typo.yaml")));

        assertTrue(e.getMessage().contains("additional properties 'replcaCount' not allowed"), e.getMessage());
    }
}
