package dev.livecounter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A JDK WebSocket listener that puts a message's text parts together and hands each whole message, parsed, to a
 * consumer; text that is not JSON is dropped. The pages of the cold start and the fault suite's visitors read
 * their count frames through it.
 */
public class JsonFrames implements WebSocket.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringBuilder text = new StringBuilder();
    private final Consumer<JsonNode> frames;

    public JsonFrames(Consumer<JsonNode> frames) {
        this.frames = frames;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            JsonNode frame = null;
            try {
                frame = JSON.readTree(text.toString());
            } catch (java.io.IOException notJson) {
                // not a frame of ours
            }
            text.setLength(0);
            if (frame != null) {
                frames.accept(frame);
            }
        }
        webSocket.request(1);
        return null;
    }
}
