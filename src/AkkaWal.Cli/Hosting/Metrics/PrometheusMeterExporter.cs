using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace AkkaWal.Cli.Hosting.Metrics;

/// <summary>
/// Renders System.Diagnostics.Metrics instruments in the Prometheus text exposition format (version 0.0.4): counters as
/// <c>_total</c>, up-down counters and gauges as gauges, histograms with cumulative buckets, <c>_sum</c> and <c>_count</c>.
/// It listens from construction on, so create it at start-up; observable instruments are read at each scrape.
/// </summary>
public sealed class PrometheusMeterExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    // Durations are in seconds (OpenTelemetry's convention): OpenTelemetry's default boundaries for them, 5 ms to 10 s,
    // with 0.1 ms to 2.5 ms below for fsyncs on fast disks.
    private static readonly double[] SecondsBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private static double[] BucketsOf(Instrument instrument) => instrument.Unit == "s" ? SecondsBuckets : Buckets;

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> _series = new();
    private readonly object _scrapeGate = new();

    /// <param name="meterFilter">Which meters to export, by name (e.g. names starting with "AkkaWal").</param>
    public PrometheusMeterExporter(Func<string, bool> meterFilter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!meterFilter(instrument.Meter.Name)) return;
            _series.TryAdd(instrument, new ConcurrentDictionary<string, Series>(StringComparer.Ordinal));
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _series.TryRemove(instrument, out var _);
        _listener.SetMeasurementEventCallback<byte>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, _) => Record(i, (double)v, t));
        _listener.Start();
    }

    /// <summary>The current values of every exported instrument as Prometheus text.</summary>
    public string Scrape()
    {
        lock (_scrapeGate)
        {
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var (instrument, series) in _series.OrderBy(p => p.Key.Meter.Name, StringComparer.Ordinal).ThenBy(p => p.Key.Name, StringComparer.Ordinal))
            {
                if (series.IsEmpty) continue;
                var kind = KindOf(instrument);
                var name = MetricName(instrument, kind);
                text.Append("# HELP ").Append(name).Append(' ').Append(Escape(instrument.Description ?? instrument.Name)).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
                foreach (var (labels, s) in series.OrderBy(p => p.Key, StringComparer.Ordinal))
                    s.Write(text, name, labels, kind);
            }
            return text.ToString();
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_series.TryGetValue(instrument, out var series)) return;
        var labels = Labels(tags);
        var s = series.GetOrAdd(labels, _ => new Series(BucketsOf(instrument)));
        var absolute = instrument.IsObservable || instrument.GetType().Name.StartsWith("Gauge", StringComparison.Ordinal);
        lock (s)
        {
            if (KindOf(instrument) == "histogram")
            {
                s.Count++;
                s.Sum += value;
                for (var b = 0; b < s.Buckets.Length; b++)
                    if (value <= s.Buckets[b]) s.BucketCounts[b]++;
            }
            else if (absolute)
                s.Value = value; // observable and gauge: the current value
            else
                s.Value += value; // counter and up-down counter: a delta
        }
    }

    private static string KindOf(Instrument instrument)
    {
        var type = instrument.GetType().Name;
        if (type.StartsWith("Histogram", StringComparison.Ordinal)) return "histogram";
        if (type.StartsWith("Counter", StringComparison.Ordinal) || type.StartsWith("ObservableCounter", StringComparison.Ordinal)) return "counter";
        return "gauge"; // UpDownCounter, ObservableUpDownCounter, ObservableGauge, Gauge
    }

    private static string MetricName(Instrument instrument, string kind)
    {
        var name = new StringBuilder(instrument.Name.Length + 8);
        foreach (var c in instrument.Name)
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        var unit = instrument.Unit switch
        {
            "ms" => "_milliseconds",
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        if (unit.Length > 0 && !name.ToString().EndsWith(unit, StringComparison.Ordinal)) name.Append(unit);
        if (kind == "counter") name.Append("_total");
        return name.ToString();
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var label = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
            pairs.Add($"{label}=\"{Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _listener.Dispose();

    private sealed class Series(double[] buckets)
    {
        public double Value;
        public long Count;
        public double Sum;
        public readonly double[] Buckets = buckets;
        public readonly long[] BucketCounts = new long[buckets.Length];

        public void Write(StringBuilder text, string name, string labels, string kind)
        {
            lock (this)
            {
                if (kind != "histogram")
                {
                    text.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ').Append(Number(Value)).Append('\n');
                    return;
                }
                var prefix = labels.Length > 0 ? labels + "," : "";
                for (var b = 0; b < Buckets.Length; b++)
                    text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(Number(Buckets[b])).Append("\"} ").Append(BucketCounts[b]).Append('\n');
                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(Count).Append('\n');
                var suffix = labels.Length > 0 ? "{" + labels + "}" : "";
                text.Append(name).Append("_sum").Append(suffix).Append(' ').Append(Number(Sum)).Append('\n');
                text.Append(name).Append("_count").Append(suffix).Append(' ').Append(Count).Append('\n');
            }
        }
    }
}
