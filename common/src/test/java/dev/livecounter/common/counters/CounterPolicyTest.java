package dev.livecounter.common.counters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Counter names: the one rule every service applies, and the optional allow-list. */
class CounterPolicyTest {

    private final CounterPolicy open = new CounterPolicy(List.of());

    @Test
    void namesFollowTheRule() {
        assertNull(open.refusal("home"));
        assertNull(open.refusal("blog.post-1_a"));
        assertNotNull(open.refusal(""));
        assertNotNull(open.refusal(null));
        assertNotNull(open.refusal("-starts-with-dash"));
        assertNotNull(open.refusal("has space"));
        assertNotNull(open.refusal("<script>"));
        assertNotNull(open.refusal("x".repeat(65)));
    }

    @Test
    void anAllowListServesOnlyItsNames() {
        CounterPolicy listed = new CounterPolicy(List.of("home", "blog"));
        assertNull(listed.refusal("blog"));
        assertEquals("counter not served here: other", listed.refusal("other"));
        assertNotNull(listed.refusal("not valid!"));
    }

    /** As a service gets it: the comma-separated list from the environment, bound to its typed setting. */
    @Test
    void theAllowListComesFromTheSetting() {
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of("livecounter.counters.allowed", "home,blog"))
                .start()) {
            CounterPolicy policy = context.getBean(CounterPolicy.class);
            assertNull(policy.refusal("home"));
            assertEquals("counter not served here: other", policy.refusal("other"));
        }
        try (ApplicationContext context = ApplicationContext.builder().start()) {
            assertNull(context.getBean(CounterPolicy.class).refusal("other"), "no list: every valid name");
        }
    }

    @Property(tries = 3000)
    void anyStringGetsAnAnswerAndOnlyTheAlphabetPasses(@ForAll String name) {
        String refusal = open.refusal(name);
        boolean alphabet = !name.isEmpty() && name.length() <= 64
                && name.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-')
                && Character.isLetterOrDigit(name.charAt(0));
        assertEquals(alphabet, refusal == null, name);
    }

    @Property(tries = 1000)
    void everyNameFromTheAlphabetIsServed(@ForAll("names") String name) {
        assertNull(open.refusal(name));
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<Character> first = Arbitraries.chars().alpha().numeric();
        Arbitrary<String> rest = Arbitraries.strings().alpha().numeric().withChars('.', '_', '-').ofMaxLength(63);
        return net.jqwik.api.Combinators.combine(first, rest).as((f, r) -> f + r);
    }
}
