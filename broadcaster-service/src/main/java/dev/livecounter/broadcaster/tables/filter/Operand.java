package dev.livecounter.broadcaster.tables.filter;

import dev.livecounter.broadcaster.tables.items.ItemJson;
import dev.livecounter.broadcaster.tables.items.JsonText;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What a comparison compares: a document path, a {@code :value}, or {@code size(path)}. */
sealed interface Operand {

    /** The operand's value in {@code item}, or null when it has none (a missing attribute, size of a number). */
    AttributeValue resolve(Map<String, AttributeValue> item);

    void render(StringBuilder out);

    /** A document path: a top-level attribute, then map keys and list indexes. */
    record Path(String top, List<Step> steps) implements Operand {

        /** One step down from a map or list; null when the value is not one or has no such entry. */
        sealed interface Step {
            AttributeValue from(AttributeValue container);

            void render(StringBuilder out);
        }

        record Key(String name) implements Step {
            @Override
            public AttributeValue from(AttributeValue container) {
                return container.type() == AttributeValue.Type.M ? container.m().get(name) : null;
            }

            @Override
            public void render(StringBuilder out) {
                JsonText.appendString(out.append('.'), name);
            }
        }

        record Index(int index) implements Step {
            @Override
            public AttributeValue from(AttributeValue container) {
                return container.type() == AttributeValue.Type.L && index < container.l().size()
                        ? container.l().get(index)
                        : null;
            }

            @Override
            public void render(StringBuilder out) {
                out.append('[').append(index).append(']');
            }
        }

        @Override
        public AttributeValue resolve(Map<String, AttributeValue> item) {
            AttributeValue current = item.get(top);
            for (int i = 0; i < steps.size() && current != null; i++) {
                current = steps.get(i).from(current);
            }
            return current;
        }

        @Override
        public void render(StringBuilder out) {
            JsonText.appendString(out, top);
            for (Step step : steps) {
                step.render(out);
            }
        }
    }

    /** A {@code :placeholder}'s value; the placeholder is kept only for error messages. */
    record Value(String placeholder, AttributeValue value) implements Operand {

        @Override
        public AttributeValue resolve(Map<String, AttributeValue> item) {
            return value;
        }

        @Override
        public void render(StringBuilder out) {
            ItemJson.appendTyped(out, value);
        }
    }

    /** {@code size(path)}: a number, or nothing for a type that has no size. */
    record Size(Path path) implements Operand {

        @Override
        public AttributeValue resolve(Map<String, AttributeValue> item) {
            return Values.size(path.resolve(item));
        }

        @Override
        public void render(StringBuilder out) {
            out.append("size(");
            path.render(out);
            out.append(')');
        }
    }
}
