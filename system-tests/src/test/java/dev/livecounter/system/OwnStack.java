package dev.livecounter.system;

import dev.livecounter.local.LocalStack;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own local stack, for tests that need settings or faults the shared {@link LiveSystem} must not
 * have: {@code @RegisterExtension static final OwnStack stack = new OwnStack(b -> b.broadcasters(2));}. Started
 * before the class's first test, closed after its last.
 */
final class OwnStack implements BeforeAllCallback, AfterAllCallback {

    private final UnaryOperator<LocalStack.Builder> configuration;
    private LocalStack stack;

    OwnStack(UnaryOperator<LocalStack.Builder> configuration) {
        this.configuration = configuration;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        stack = configuration.apply(LocalStack.builder()).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null) {
            stack.close();
        }
    }

    /** The running stack. */
    LocalStack get() {
        return stack;
    }
}
