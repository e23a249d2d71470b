package dev.livecounter.broadcaster.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.broadcaster.protocol.FramePayload;
import dev.livecounter.common.contract.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The table subscriptions' frames as a client reads them (README, "Any table, live"). */
class TableFramesTest {

    private static Map<String, AttributeValue> order(String status, String total) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("customer", AttributeValue.fromS("ada"));
        item.put("orderId", AttributeValue.fromS("o1"));
        item.put("status", AttributeValue.fromS(status));
        item.put("total", AttributeValue.fromN(total));
        item.put("card", AttributeValue.fromS("4111"));
        return item;
    }

    private static final Map<String, AttributeValue> KEYS = new LinkedHashMap<>(Map.of("customer", AttributeValue.fromS("ada")));

    @Test
    void aChangeShowsOnlyTheProjectedAttributesOfBothImagesInOneTextFrame() {
        TableChange change = new TableChange("shard-1", BigInteger.TEN, "modify", KEYS,
                order("shipped", "12.5"), order("packing", "12.5"));
        ByteBuf frame = TableFrames.change(UnpooledByteBufAllocator.DEFAULT, "s1", "orders", change, true,
                Set.of("customer", "orderId", "status"), "1vw7est.2s");
        try {
            assertEquals(0x81, frame.getUnsignedByte(0), "one final text frame");
            assertEquals("{\"type\":\"change\",\"sub\":\"s1\",\"table\":\"orders\",\"event\":\"modify\",\"in\":true,"
                    + "\"keys\":{\"customer\":\"ada\"},"
                    + "\"new\":{\"customer\":\"ada\",\"orderId\":\"o1\",\"status\":\"shipped\"},"
                    + "\"old\":{\"customer\":\"ada\",\"orderId\":\"o1\",\"status\":\"packing\"},"
                    + "\"position\":\"1vw7est.2s\"}", FramePayload.of(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void anInsertHasNoOldImageAndAChangeOutOfTheViewSaysSo() {
        TableChange insert = new TableChange("shard-1", BigInteger.ONE, "insert", KEYS, order("new", "3"), null);
        ByteBuf frame = TableFrames.change(UnpooledByteBufAllocator.DEFAULT, "s1", "orders", insert, false,
                Set.of("customer", "total"), "p");
        try {
            assertEquals("{\"type\":\"change\",\"sub\":\"s1\",\"table\":\"orders\",\"event\":\"insert\",\"in\":false,"
                    + "\"keys\":{\"customer\":\"ada\"},\"new\":{\"customer\":\"ada\",\"total\":3},\"old\":null,"
                    + "\"position\":\"p\"}", FramePayload.of(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void aSnapshotIsDoneOnlyOnItsLastPageWhichCarriesThePosition() {
        List<Map<String, AttributeValue>> items = List.of(order("shipped", "1843"), order("packing", "12.5"));
        Set<String> projection = Set.of("orderId", "total");
        assertEquals("{\"type\":\"snapshot\",\"sub\":\"s1\",\"ref\":\"r1\",\"table\":\"orders\",\"items\":["
                        + "{\"orderId\":\"o1\",\"total\":1843},{\"orderId\":\"o1\",\"total\":12.5}],\"done\":false}",
                TableFrames.snapshot("s1", "r1", "orders", items, projection, null));
        assertEquals("{\"type\":\"snapshot\",\"sub\":\"s1\",\"table\":\"orders\",\"items\":[],\"done\":true,"
                        + "\"position\":\"1vw7est.6\"}",
                TableFrames.snapshot("s1", null, "orders", List.of(), projection, "1vw7est.6"));
    }

    @Test
    void resumedGapUnsubscribedAndErrorFrames() {
        assertEquals("{\"type\":\"resumed\",\"sub\":\"s1\",\"ref\":\"r2\",\"table\":\"orders\",\"missed\":3}",
                TableFrames.resumed("s1", "r2", "orders", 3));
        assertEquals("{\"type\":\"gap\",\"sub\":\"s1\",\"table\":\"orders\",\"message\":\"changes may be missing\"}",
                TableFrames.gap("s1", "orders", "changes may be missing"));
        assertEquals("{\"type\":\"unsubscribed\",\"sub\":\"s1\",\"table\":\"orders\",\"reason\":\"token_expired\"}",
                TableFrames.unsubscribed("s1", "orders", "token_expired"));
        assertEquals("{\"type\":\"error\",\"code\":\"unknown_table\",\"ref\":\"r3\",\"message\":\"no streamed table \\\"x\\\"\"}",
                TableFrames.error(ErrorCode.UNKNOWN_TABLE, "r3", "no streamed table \"x\""));
        assertEquals("{\"type\":\"error\",\"code\":\"bad_filter\",\"message\":\"filter: a\\nb\"}",
                TableFrames.error(ErrorCode.BAD_FILTER, null, "filter: a\nb"));
    }
}
