package dev.livecounter.counter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanContextException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How presses are written, as the service reads it: its defaults, an override, and a value it refuses at start. */
class PressSettingsTest {

    @Test
    void theDefaultsAreAThousandPressesABatchAndEightCommitters() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertEquals(new PressSettings(1000, 8), context.getBean(PressSettings.class));
        }
    }

    @Test
    void aSettingOverridesItsDefaultAndAValueBelowOneIsRefused() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("livecounter.presses.batch", "1"))) {
            assertEquals(1, context.getBean(PressSettings.class).batch());
        }
        try (ApplicationContext context = ApplicationContext.run(Map.of("livecounter.presses.committers", "0"))) {
            assertThrows(BeanContextException.class, () -> context.getBean(PressSettings.class));
        }
    }
}
