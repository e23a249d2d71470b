package dev.livecounter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestHeadsTest {

    private static String request(String target, String body) {
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (target == null ? "" : "X-Amz-Target: " + target + "\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static List<String> targets(RequestHeads heads, byte[] bytes, int pieceSize) {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += pieceSize) {
            heads.feed(bytes, i, Math.min(pieceSize, bytes.length - i)).forEach(h -> targets.add(h.target()));
        }
        return targets;
    }

    @Test
    void findsEachRequestsTargetHoweverTheBytesAreSplit() {
        byte[] stream = (request("DynamoDB_20120810.GetItem", "{\"TableName\":\"counters\"}")
                + request("DynamoDB_20120810.TransactWriteItems", "{\"TransactItems\":[]}")
                + request("DynamoDBStreams_20120810.GetRecords", "{}")).getBytes(StandardCharsets.UTF_8);
        for (int piece : new int[] {1, 2, 3, 7, 64, stream.length}) {
            assertEquals(List.of("DynamoDB_20120810.GetItem", "DynamoDB_20120810.TransactWriteItems",
                    "DynamoDBStreams_20120810.GetRecords"), targets(new RequestHeads(), stream, piece), "pieces of " + piece);
        }
    }

    @Test
    void aBodyThatLooksLikeAHeadIsSkippedByItsLength() {
        String tricky = "x\r\n\r\nPOST / HTTP/1.1\r\nX-Amz-Target: DynamoDB_20120810.Scan\r\n\r\n";
        byte[] stream = (request("DynamoDB_20120810.PutItem", tricky) + request("DynamoDB_20120810.Query", ""))
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("DynamoDB_20120810.PutItem", "DynamoDB_20120810.Query"), targets(new RequestHeads(), stream, 5));
    }

    @Test
    void aChunkedBodyIsSkippedChunkByChunk() {
        String chunked = "POST / HTTP/1.1\r\nx-amz-target: DynamoDB_20120810.BatchWriteItem\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n" + "a\r\n0123456789\r\n" + "0\r\nTrailer: x\r\n\r\n";
        byte[] stream = (chunked + request("DynamoDB_20120810.GetItem", "{}")).getBytes(StandardCharsets.UTF_8);
        RequestHeads heads = new RequestHeads();
        assertEquals(List.of("DynamoDB_20120810.BatchWriteItem", "DynamoDB_20120810.GetItem"), targets(heads, stream, 3));
        assertFalse(heads.failed());
    }

    @Test
    void aRequestWithoutATargetHasNone() {
        RequestHeads heads = new RequestHeads();
        byte[] get = "GET /shell HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        List<RequestHeads.Head> found = heads.feed(get, 0, get.length);
        assertEquals(1, found.size());
        assertNull(found.get(0).target());
    }

    @Test
    void aFramingItCannotFollowStopsItForGood() {
        RequestHeads heads = new RequestHeads();
        byte[] bad = "POST / HTTP/1.1\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nContent-Length: lots\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(1, heads.feed(bad, 0, bad.length).size());
        assertTrue(heads.failed());
        byte[] next = request("DynamoDB_20120810.GetItem", "").getBytes(StandardCharsets.UTF_8);
        assertTrue(heads.feed(next, 0, next.length).isEmpty(), "nothing is read once it has lost the thread");
    }
}
