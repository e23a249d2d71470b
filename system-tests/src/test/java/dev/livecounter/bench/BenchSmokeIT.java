package dev.livecounter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.local.LocalStack;
import dev.livecounter.system.LiveSystem;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every benchmark scenario for a few seconds with tiny numbers against the shared test system, so the
 * harness cannot rot: each must print its table and write its CSV, Markdown and PNG. No timing is asserted; the
 * figures come from {@code ./bench.sh} on an otherwise idle machine.
 */
class BenchSmokeIT {

    private static final Path OUT = LocalStack.repositoryRoot().resolve("system-tests/target/bench-smoke");

    @BeforeAll
    static void nodeBaselines() {
        // the Node baselines run when their packages can be installed here; else the fan-out notes "not run"
        NodeServer.install();
    }

    /** Every scenario, with numbers small enough for a few seconds each. */
    @TestFactory
    Stream<DynamicTest> everyScenarioWritesItsTableCsvAndPlot() {
        return Stream.of(
                        List.of("latency", "sockets", "4", "rate", "5", "seconds", "1", "warmup", "1"),
                        List.of("sockets", "sockets", "20", "step", "10", "connect-rate", "100"),
                        List.of("fanout", "sockets", "20", "rates", "5", "seconds", "1", "warmup", "0"),
                        List.of("storm", "sockets", "20", "in-flight", "10"),
                        List.of("coalescing", "sockets", "4", "pressers", "2", "rate", "20", "seconds", "2", "warmup", "1"),
                        // the fenced regime only: the steady one waits out the shared stack's fence (60 s)
                        List.of("tables", "runs", "4/2/0.5@5,4/1/1@5", "seconds", "1", "warmup", "0", "idle", "1", "quiet", "0",
                                "regimes", "fenced"))
                .map(args -> DynamicTest.dynamicTest(args.get(0), () -> run(args.get(0),
                        args.subList(1, args.size()).toArray(String[]::new))));
    }

    private static void run(String name, String[] options) throws IOException {
        LocalStack stack = LiveSystem.get();
        Report report = Bench.SCENARIOS.get(name).run(stack, Options.of(options), OUT);
        report.write(OUT);

        List<String> csv = Files.readAllLines(OUT.resolve(name + ".csv"));
        assertTrue(csv.size() >= 2, name + ".csv has a header and at least one row: " + csv);
        String md = Files.readString(OUT.resolve(name + ".md"));
        assertTrue(md.contains("| --- |") && md.contains(name + ".png"), name + ".md is a table with its plot");
        BufferedImage png = ImageIO.read(OUT.resolve(name + ".png").toFile());
        assertEquals(1000, png.getWidth(), name + ".png is a chart");
        if (name.equals("fanout")) {
            // every server that ran delivered frames to its sockets (the broadcaster once dropped every synthetic
            // update as older than its counter, and only the figures said so)
            for (String row : csv.subList(1, csv.size())) {
                assertTrue(Double.parseDouble(row.split(",")[3]) > 0, "frames delivered: " + row);
            }
        }
    }
}
