package dev.livecounter.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long each DynamoDB call takes, by operation (the request's {@code X-Amz-Target} header), for a
 * {@link FaultProxy} to hold each response back by: so that a benchmark against DynamoDB Local on loopback shows the
 * shape the same load has against DynamoDB in a region, where the network and the service's replication, not the
 * local CPU, set a call's latency.
 *
 * <p>Each operation has a median and a p99; a call's delay is drawn from the log-normal distribution with that median
 * and p99 (sigma = ln(p99 / median) / 2.326), capped at three times the p99 (the largest of the measurements cited
 * below was 2.6 times its p99). A median equal to its p99 gives that delay every time.
 *
 * <p>{@link #aws()}: the figures and where they come from.
 * <ul>
 *   <li>AWS states "single-digit millisecond" latency at any scale for DynamoDB, and "for most atomic operations, such
 *   as GetItem and PutItem, an average latency in single-digit milliseconds; latency for non-atomic operations, such as
 *   Query, Scan, BatchGetItem and BatchWriteItem, depends on many factors" (AWS re:Post knowledge center, "How can I
 *   troubleshoot high latency on an Amazon DynamoDB table?", repost.aws/knowledge-center/dynamodb-high-latency). Those
 *   are service-side figures (CloudWatch {@code SuccessfulRequestLatency}), without the network.</li>
 *   <li>End to end, from a client in the same region (AWS Lambda, us-east-1, 400 calls each, February 2020), Alex
 *   DeBrie measured: PutItem p50 7.55 ms, p99 16.2 ms (max 29); BatchWriteItem of 25 items p50 10.2 ms, p99 27.6 ms;
 *   TransactWriteItems of 5 items p50 25.3 ms, p99 92.5 ms; of 25 items p50 32.1 ms, p99 97.5 ms (max 258)
 *   ("DynamoDB Transactions Performance Testing", alexdebrie.com/posts/dynamodb-transactions-performance/, results in
 *   github.com/alexdebrie/dynamodb-performance-testing). Transactions cost about 3-4 times a single write: two phases
 *   (prepare, commit) across the items' storage nodes through a coordinator ("Distributed Transactions at Scale in
 *   Amazon DynamoDB", USENIX ATC 2023).</li>
 * </ul>
 * So: single-item reads and writes (GetItem, PutItem, UpdateItem, DeleteItem) p50 7.5 / p99 16 ms, DeBrie's PutItem
 * (reads are likely somewhat faster: this errs slow); BatchWriteItem 10 / 28 ms (DeBrie, 25 items); TransactWriteItems
 * 32 / 98 ms (DeBrie, 25 items; this project's transactions carry up to 100 items, since transactions took 100 items
 * in 2022, so real ones may take longer still: a linear reading of DeBrie's 5 -> 25 items, 0.34 ms per item, would
 * put 100 items near 58 ms at p50; our estimate, not modelled). <b>Our estimates</b>, no published figure found:
 * Query, Scan and BatchGetItem as BatchWriteItem (10 / 28 ms); TransactGetItems as a 5-item TransactWriteItems
 * (25 / 92 ms); the DynamoDB Streams calls GetRecords 10 / 28 ms (a batch read), GetShardIterator, DescribeStream and
 * ListStreams 7.5 / 16 ms; every other call (DescribeTable and the rest of the control plane KCL polls) 7.5 / 16 ms.
 *
 * <p>The delay comes on top of DynamoDB Local's own time (the proxy holds the response's first byte for it), so a
 * call through this profile takes at least as long as on AWS, and longer by what DynamoDB Local spends on it: the
 * loopback run beside it shows how much that is.
 */
public final class DynamoDbLatencyProfile {

    /** One operation's latency: median and p99 in milliseconds, and where the figures come from. */
    public record Latency(double medianMillis, double p99Millis, String source) {
        public Latency {
            if (medianMillis < 0 || p99Millis < medianMillis) {
                throw new IllegalArgumentException("need 0 <= median <= p99, got " + medianMillis + " / " + p99Millis);
            }
        }

        /** A delay drawn from the log-normal distribution with this median and p99, at most 3 x p99. */
        long sampleNanos(Random random) {
            if (medianMillis == 0) {
                return 0;
            }
            double sigma = Math.log(p99Millis / medianMillis) / Z99;
            double millis = Math.min(3 * p99Millis, medianMillis * Math.exp(sigma * random.nextGaussian()));
            return Math.round(millis * 1e6);
        }
    }

    /** The standard normal's 99th percentile. */
    private static final double Z99 = 2.3263;

    private static final String DYNAMODB = "DynamoDB_20120810.";
    private static final String STREAMS = "DynamoDBStreams_20120810.";

    /** No delay for any call: the proxy forwards as it is. */
    public static final DynamoDbLatencyProfile NONE = new DynamoDbLatencyProfile("none", Map.of(), new Latency(0, 0, "none"));

    private final String name;
    private final Map<String, Latency> byTarget;
    private final Latency otherwise;

    private DynamoDbLatencyProfile(String name, Map<String, Latency> byTarget, Latency otherwise) {
        this.name = name;
        // in the order given, so that reports list the operations as the profile does
        this.byTarget = Collections.unmodifiableMap(new LinkedHashMap<>(byTarget));
        this.otherwise = otherwise;
    }

    /**
     * A profile of the given latencies by full target ({@code DynamoDB_20120810.GetItem}), and {@code otherwise} for
     * any other call that names a target.
     */
    public static DynamoDbLatencyProfile of(String name, Map<String, Latency> byTarget, Latency otherwise) {
        return new DynamoDbLatencyProfile(name, byTarget, otherwise);
    }

    /** DynamoDB and DynamoDB Streams in one AWS region, seen from a client in the same region (class comment: sources). */
    public static DynamoDbLatencyProfile aws() {
        Latency single = new Latency(7.5, 16, "DeBrie 2020, PutItem from Lambda in-region; AWS: single-digit ms average");
        Latency batch = new Latency(10, 28, "DeBrie 2020, BatchWriteItem of 25 items");
        Latency batchEstimate = new Latency(10, 28, "estimate: as BatchWriteItem of 25 items");
        Latency singleEstimate = new Latency(7.5, 16, "estimate: as a single-item call");
        Map<String, Latency> targets = new LinkedHashMap<>();
        for (String op : new String[] {"GetItem", "PutItem", "UpdateItem", "DeleteItem"}) {
            targets.put(DYNAMODB + op, single);
        }
        targets.put(DYNAMODB + "BatchWriteItem", batch);
        for (String op : new String[] {"Query", "Scan", "BatchGetItem"}) {
            targets.put(DYNAMODB + op, batchEstimate);
        }
        targets.put(DYNAMODB + "TransactWriteItems", new Latency(32, 98, "DeBrie 2020, TransactWriteItems of 25 items"));
        targets.put(DYNAMODB + "TransactGetItems", new Latency(25, 92, "estimate: as TransactWriteItems of 5 items (DeBrie 2020)"));
        targets.put(STREAMS + "GetRecords", batchEstimate);
        for (String op : new String[] {"GetShardIterator", "DescribeStream", "ListStreams"}) {
            targets.put(STREAMS + op, singleEstimate);
        }
        return new DynamoDbLatencyProfile("aws", targets, singleEstimate);
    }

    /** {@code none} or {@code aws}. */
    public static DynamoDbLatencyProfile named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none", "loopback" -> NONE;
            case "aws" -> aws();
            default -> throw new IllegalArgumentException("DynamoDB latency profile: none or aws, got " + name);
        };
    }

    public String name() {
        return name;
    }

    /** The latency of a call with this {@code X-Amz-Target}; a call with none (not an API call) gets none. */
    public Latency latency(String target) {
        if (target == null) {
            return NONE.otherwise;
        }
        return byTarget.getOrDefault(target, otherwise);
    }

    /** A delay for one call with this target. */
    public long sampleNanos(String target) {
        return latency(target).sampleNanos(ThreadLocalRandom.current());
    }

    /** The operations grouped by their figures: {@code GetItem, PutItem p50 7.5 / p99 16 ms; ...}, for reports. */
    public String describe() {
        if (byTarget.isEmpty() && otherwise.medianMillis() == 0) {
            return name + ": no delay";
        }
        Map<String, List<String>> byFigures = new LinkedHashMap<>();
        byTarget.forEach((target, l) -> byFigures.computeIfAbsent(figures(l), f -> new ArrayList<>())
                .add(target.substring(target.indexOf('.') + 1)));
        StringBuilder out = new StringBuilder(name + ":");
        byFigures.forEach((figures, ops) -> out.append(' ').append(String.join(", ", ops)).append(' ').append(figures).append(';'));
        return out.append(" any other call ").append(figures(otherwise)).toString();
    }

    private static String figures(Latency l) {
        return "p50 " + fmt(l.medianMillis()) + " / p99 " + fmt(l.p99Millis()) + " ms";
    }

    private static String fmt(double millis) {
        return millis == Math.rint(millis) ? Long.toString((long) millis) : Double.toString(millis);
    }
}
