package dev.livecounter.bench;

import dev.livecounter.local.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One service's meters as its {@code /prometheus} endpoint shows them at one moment: read before and after a
 * measured stretch, two readings give a timer's mean over what happened between (its {@code _sum} and
 * {@code _count} grow together), which is how a scenario says where the time of a path goes without touching it.
 */
final class ServiceMeters {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Each series as Prometheus writes it ({@code name{labels}}) with its value; empty if it could not be read. */
    private final Map<String, Double> series;

    private ServiceMeters(Map<String, Double> series) {
        this.series = series;
    }

    /** The service's meters now; none if its endpoint does not answer (a report then shows no breakdown, not a wrong one). */
    static ServiceMeters read(ServiceProcess service) {
        HttpRequest request = HttpRequest.newBuilder(service.baseUri().resolve("/prometheus"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new ServiceMeters(response.statusCode() == 200 ? parse(response.body()) : Map.of());
        } catch (IOException e) {
            return new ServiceMeters(Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ServiceMeters(Map.of());
        }
    }

    static Map<String, Double> parse(String text) {
        Map<String, Double> series = new HashMap<>();
        for (String line : text.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.isEmpty() || line.startsWith("#") || space < 0) {
                continue;
            }
            try {
                series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException notAValue) {
                // a line this reader does not know: not one of the timers it reads
            }
        }
        return series;
    }

    /**
     * The mean in milliseconds of timer {@code name} (Prometheus form, without {@code _seconds}) over the events
     * between {@code before} and this reading, summed over its series whose labels contain every one of
     * {@code labels} (e.g. {@code operation="GetItem"}); NaN when none happened.
     */
    Timed since(ServiceMeters before, String name, String... labels) {
        double sum = total(name + "_seconds_sum", labels) - before.total(name + "_seconds_sum", labels);
        double count = total(name + "_seconds_count", labels) - before.total(name + "_seconds_count", labels);
        return new Timed((long) count, count > 0 ? sum * 1000 / count : Double.NaN);
    }

    private double total(String metric, String... labels) {
        double total = 0;
        for (Map.Entry<String, Double> entry : series.entrySet()) {
            String key = entry.getKey();
            int brace = key.indexOf('{');
            if (!(brace < 0 ? key : key.substring(0, brace)).equals(metric)) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= key.contains(label);
            }
            if (all) {
                total += entry.getValue();
            }
        }
        return total;
    }

    /** How many events a timer counted between two readings, and their mean in milliseconds. */
    record Timed(long count, double meanMillis) {}
}
