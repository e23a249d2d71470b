package dev.livecounter.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The machine a figure came from, the load on it, and what a process costs (heap, RSS, CPU). */
final class Machine {

    private Machine() {}

    /** Cores, memory, CPU model, JVM and the load average now: one line for every report. */
    static String describe() {
        return String.format(Locale.ROOT, "machine: %d cores (%s), %.0f GiB RAM, %s %s, Java %s; load average %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memTotalKb() / 1024.0 / 1024.0,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
                loadAverage());
    }

    /** The last line of {@code log} that holds {@code text}, from {@code text} on ("not found" if none). */
    static String lastLine(Path log, String text) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(text)).reduce((a, b) -> b)
                    .map(l -> l.substring(l.indexOf(text))).orElse(text + ": not found in " + log);
        } catch (IOException | UncheckedIOException e) {
            return text + ": " + log + " unreadable (" + e.getMessage() + ")";
        }
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static long memTotalKb() {
        return procField(Path.of("/proc/meminfo"), "MemTotal:");
    }

    /** Resident set size of a process in bytes. */
    static long rssBytes(long pid) {
        return procField(Path.of("/proc/" + pid + "/status"), "VmRSS:") * 1024;
    }

    private static long procField(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** CPU time (user + system) a process has used so far, in nanoseconds. */
    static long cpuNanos(long pid) {
        long[] times = cpuTimes(pid);
        return times == null ? -1 : times[0] + times[1];
    }

    /**
     * The part of {@link #cpuNanos} spent in the kernel (system time) so far, in nanoseconds: for a fan-out server
     * mostly its socket writes, which on loopback also carry the reader's side of TCP.
     */
    static long kernelNanos(long pid) {
        long[] times = cpuTimes(pid);
        return times == null ? -1 : times[1];
    }

    /** {user, system} CPU time of a process in nanoseconds ({@code /proc/<pid>/stat}), or null. */
    private static long[] cpuTimes(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // USER_HZ is 100 on Linux
            return new long[] {Long.parseLong(f[11]) * 10_000_000L, Long.parseLong(f[12]) * 10_000_000L};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Time the threads of a process have spent runnable but waiting for a CPU so far, in nanoseconds (the second
     * field of each {@code /proc/<pid>/task/<tid>/schedstat}); -1 where the kernel does not say. CPU time plus this
     * is the time a server wanted the CPU: near 100 % of a thread means it was limited by CPU (its own, or the share
     * a loaded machine gave it), not waiting on its sockets.
     */
    static long runQueueNanos(long pid) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.mapToLong(task -> {
                try {
                    return Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split("\\s+")[1]);
                } catch (IOException | RuntimeException gone) {
                    return 0; // the thread ended meanwhile
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Sets the nice value of every thread of a process ({@code renice} per thread: Linux keeps it per thread); a
     * value below 0 needs root. Returns what went wrong, or null.
     */
    static String renice(long pid, int nice) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            List<String> command = new java.util.ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
            tasks.forEach(task -> command.add(task.getFileName().toString()));
            Process renice = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(renice.getInputStream().readAllBytes()).trim();
            return renice.waitFor() == 0 ? null : out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * CPU time so far of this JVM (the load generator), of every process it started, and of DynamoDB Local (a child
     * process, or in a container: then a child of the container runtime), by name: a stack's services by their
     * {@code names} (pid -> name), DynamoDB Local by its jar, anything else by its command.
     */
    static Map<String, Long> cpuByProcess(Map<Long, String> names) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        cpu.put("load generator", ownCpuNanos());
        Set<Long> children = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        ProcessHandle.allProcesses().forEach(p -> {
            boolean dynamoDb = p.info().commandLine().orElse("").contains("DynamoDBLocal");
            if (!dynamoDb && !children.contains(p.pid())) {
                return;
            }
            String name = names.getOrDefault(p.pid(), dynamoDb ? "DynamoDB Local" : p.info().command().orElse("pid " + p.pid()));
            long nanos = cpuNanos(p.pid());
            if (nanos >= 0) {
                cpu.merge(name, nanos, Long::sum);
            }
        });
        return cpu;
    }

    /** What each process of {@link #cpuByProcess} used between two readings, as shares of one core over {@code seconds}. */
    static String cpuBetween(Map<String, Long> before, Map<String, Long> after, double seconds) {
        StringBuilder line = new StringBuilder();
        after.forEach((name, nanos) -> {
            double used = (nanos - before.getOrDefault(name, 0L)) / 1e9;
            line.append(line.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.0f %%", name, 100 * used / seconds));
        });
        return line.toString();
    }

    /** CPU time of this JVM (the load generator). */
    static long ownCpuNanos() {
        return cpuNanos(ProcessHandle.current().pid());
    }

    /**
     * Live heap of a JVM after a full collection, from {@code jcmd <pid> GC.class_histogram} (which collects
     * first); the histogram itself is kept so two of them can be compared class by class.
     */
    static Histogram liveHeap(long pid) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor();
            return Histogram.parse(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A class histogram: bytes and instances per class, and the total. */
    record Histogram(long totalBytes, java.util.Map<String, long[]> classes) {
        static Histogram parse(String jcmdOutput) {
            java.util.Map<String, long[]> classes = new java.util.HashMap<>();
            long total = -1;
            for (String line : jcmdOutput.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3 && f[0].equals("Total")) {
                    total = Long.parseLong(f[2]);
                } else if (f.length >= 4 && f[0].endsWith(":")) {
                    classes.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                }
            }
            if (total < 0) {
                throw new IllegalStateException("unexpected jcmd output: " + jcmdOutput.lines().limit(5).toList());
            }
            return new Histogram(total, classes);
        }

        /** The classes that grew most from {@code before} to this, as (class, bytes, instances) growth. */
        List<Object[]> growthSince(Histogram before, int top) {
            return classes.entrySet().stream()
                    .map(e -> {
                        long[] was = before.classes.getOrDefault(e.getKey(), new long[2]);
                        return new Object[] {e.getKey(), e.getValue()[1] - was[1], e.getValue()[0] - was[0]};
                    })
                    .sorted((a, b) -> Long.compare((long) b[1], (long) a[1]))
                    .limit(top)
                    .toList();
        }
    }
}
