package zzq.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import zzq.codec.MqttVersion;

/**
 * {@code zzq bench}'s output: a progress line for people each second, and the summary as text, JSON or CSV. JSON
 * and CSV share one list of fields, in one order: the settings, then the counts, the rates (messages per second)
 * and the latencies (microseconds, to 0.1).
 */
final class BenchReport {
    private BenchReport() {
    }

    /** The summary in the settings' format, ending with a newline. */
    static String write(BenchCommand.Settings settings, BenchResult result) {
        switch (settings.format()) {
            case JSON:
                return json(settings, result);
            case CSV:
                return csv(settings, result);
            default:
                return text(settings, result);
        }
    }

    /** A second's progress line (without the command's prefix). */
    static String progress(BenchResult.Second s) {
        return String.format(Locale.ROOT, "%4d s  sent %9d/s  received %9d/s  latency p50 %s  p99 %s  max %s%s",
                s.second(), s.sent(), s.received(), millis(s.p50()), millis(s.p99()), millis(s.max()),
                s.draining() ? "  (draining)" : "");
    }

    static String text(BenchCommand.Settings settings, BenchResult r) {
        LatencyHistogram latency = r.latency();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "zzq bench: %s, MQTT %s, QoS %d, %d B payload, %d publisher%s,"
                        + " %d subscriber%s%n", settings.client().url(), version(settings.client().version()),
                settings.qos().value(), settings.size(), settings.publishers(), plural(settings.publishers()),
                settings.subscribers(), plural(settings.subscribers())));
        out.append(String.format(Locale.ROOT, "  topic %s, filter %s, %s, %s%n", settings.topic(), settings.filter(),
                settings.rate() == 0 ? "flat out" : settings.rate() + " msg/s",
                settings.count() > 0 ? settings.count() + " messages" : seconds(settings) + " s"));
        out.append(String.format(Locale.ROOT, "sent        %d in %.2f s: %.0f msg/s%s%n", r.sent(),
                r.publishSeconds(), r.sendRate(), r.failed() > 0 ? " (" + r.failed() + " failed)" : ""));
        out.append(String.format(Locale.ROOT, "received    %d of %d expected: %.0f msg/s%s%n", r.received(),
                r.expected(), r.receiveRate(), r.foreign() > 0 ? " (and " + r.foreign() + " not of this run)" : ""));
        out.append(String.format(Locale.ROOT, "lost        %d%s%n", r.lost(), r.droppedByClient() > 0
                ? " (" + r.droppedByClient() + " of them dropped by the subscribers' own clients)" : ""));
        out.append(String.format(Locale.ROOT, "duplicates  %d%n", r.duplicates()));
        out.append(latency.count() == 0 ? String.format("latency     - (no message came)%n")
                : String.format(Locale.ROOT, "latency     p50 %s  p90 %s  p99 %s  max %s  (mean %s)%n",
                millis(latency.percentile(50)), millis(latency.percentile(90)), millis(latency.percentile(99)),
                millis(latency.max()), millis((long) latency.mean())));
        return out.toString();
    }

    static String json(BenchCommand.Settings settings, BenchResult r) {
        StringBuilder out = new StringBuilder("{");
        fields(settings, r).forEach((name, value) -> out.append(out.length() > 1 ? "," : "").append(quote(name))
                .append(':').append(value instanceof String ? quote((String) value) : value));
        out.append(",\"seconds\":[");
        List<BenchResult.Second> seconds = r.seconds();
        for (int i = 0; i < seconds.size(); i++) {
            BenchResult.Second s = seconds.get(i);
            out.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "{\"second\":%d,\"sent\":%d,"
                            + "\"received\":%d,\"latency_p50_us\":%s,\"latency_p99_us\":%s,\"latency_max_us\":%s,"
                            + "\"draining\":%b}", s.second(), s.sent(), s.received(), micros(s.p50()),
                    micros(s.p99()), micros(s.max()), s.draining()));
        }
        return out.append("]}\n").toString();
    }

    static String csv(BenchCommand.Settings settings, BenchResult r) {
        Map<String, Object> fields = fields(settings, r);
        StringBuilder header = new StringBuilder();
        StringBuilder row = new StringBuilder();
        fields.forEach((name, value) -> {
            header.append(header.length() > 0 ? "," : "").append(name);
            String text = value.toString();
            row.append(row.length() > 0 ? "," : "").append(value instanceof String ? csvField(text)
                    : text.equals("null") ? "" : text); // a latency not measured: an empty field
        });
        return header + "\n" + row + "\n";
    }

    /** The summary's fields, in order: strings, whole numbers, and decimals already formatted. */
    private static Map<String, Object> fields(BenchCommand.Settings settings, BenchResult r) {
        LatencyHistogram latency = r.latency();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("url", settings.client().url());
        f.put("version", version(settings.client().version()));
        f.put("qos", settings.qos().value());
        f.put("delivered_qos", r.deliveredQos().value());
        f.put("size", settings.size());
        f.put("publishers", settings.publishers());
        f.put("subscribers", settings.subscribers());
        f.put("topic", settings.topic());
        f.put("filter", settings.filter());
        f.put("rate", settings.rate());
        f.put("count", settings.count());
        f.put("duration_s", new Decimal(settings.count() > 0 ? "0" : seconds(settings)));
        f.put("publish_s", new Decimal(String.format(Locale.ROOT, "%.3f", r.publishSeconds())));
        f.put("sent", r.sent());
        f.put("failed", r.failed());
        f.put("expected", r.expected());
        f.put("received", r.received());
        f.put("lost", r.lost());
        f.put("duplicates", r.duplicates());
        f.put("dropped_by_client", r.droppedByClient());
        f.put("foreign", r.foreign());
        f.put("send_rate", new Decimal(String.format(Locale.ROOT, "%.1f", r.sendRate())));
        f.put("receive_rate", new Decimal(String.format(Locale.ROOT, "%.1f", r.receiveRate())));
        boolean none = latency.count() == 0;
        f.put("latency_p50_us", micros(none ? -1 : latency.percentile(50)));
        f.put("latency_p90_us", micros(none ? -1 : latency.percentile(90)));
        f.put("latency_p99_us", micros(none ? -1 : latency.percentile(99)));
        f.put("latency_max_us", micros(none ? -1 : latency.max()));
        f.put("latency_mean_us", micros(none ? -1 : (long) latency.mean()));
        return f;
    }

    /** A number already written out, so that JSON and CSV print it as it is. */
    private record Decimal(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** Microseconds to 0.1; {@code null} for a latency not measured (-1). */
    private static Decimal micros(long nanos) {
        return new Decimal(nanos < 0 ? "null" : String.format(Locale.ROOT, "%.1f", nanos / 1e3));
    }

    /** Milliseconds to the microsecond; {@code -} for a latency not measured (-1). */
    private static String millis(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    private static String seconds(BenchCommand.Settings settings) {
        double s = settings.duration().toNanos() / 1e9;
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    private static String version(MqttVersion v) {
        return v == MqttVersion.V5 ? "5" : v == MqttVersion.V3_1_1 ? "3.1.1" : "3.1";
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
