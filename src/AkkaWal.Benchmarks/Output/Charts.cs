using ScottPlot;

namespace AkkaWal.Benchmarks.Output;

/// <summary>The chart shapes the reports use, drawn with ScottPlot and saved as SVG.</summary>
public static class Charts
{
    public const int Width = 800;
    public const int Height = 450;

    /// <summary>The SVG files a Markdown report gets beside it: REPORT-NAME.svg in the report's directory.</summary>
    public static string PathBeside(string markdownPath, string name) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(markdownPath))!, $"{Path.GetFileNameWithoutExtension(markdownPath)}-{name}.svg");

    /// <summary>One line per series over evenly spaced categories (writer counts 1, 16, 64, 256 read better so than on a
    /// linear axis).</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, IReadOnlyList<string> categories,
        IReadOnlyList<(string Name, double?[] Values)> series)
    {
        var plot = New(title, xLabel, yLabel);
        foreach (var (name, values) in series)
        {
            var points = values.Select((v, i) => (X: (double)i, Y: v)).Where(p => p.Y is { } y && double.IsFinite(y)).ToArray();
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray());
            line.LegendText = name;
            line.MarkerSize = 7;
        }
        plot.Axes.Bottom.SetTicks(categories.Select((_, i) => (double)i).ToArray(), categories.ToArray());
        plot.Axes.Margins(0.05, 0.1);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SaveSvg(path, Width, Height);
    }

    /// <summary>Grouped bars: one group per category, one bar (and legend entry) per series.</summary>
    public static void GroupedBars(string path, string title, string yLabel, IReadOnlyList<string> categories,
        IReadOnlyList<(string Name, double?[] Values)> series)
    {
        var plot = New(title, "", yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        var width = 0.8 / Math.Max(1, series.Count);
        var bars = new List<Bar>();
        for (var s = 0; s < series.Count; s++)
        {
            var color = palette.GetColor(s);
            for (var c = 0; c < categories.Count; c++)
            {
                if (series[s].Values[c] is not { } value || !double.IsFinite(value)) continue;
                bars.Add(new Bar { Position = c + (s - (series.Count - 1) / 2.0) * width, Value = value, Size = width * 0.95, FillColor = color });
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = color });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(categories.Select((_, i) => (double)i).ToArray(), categories.ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SaveSvg(path, Width, Height);
    }

    /// <summary>Points (x, y) per series, each point a measurement.</summary>
    public static void Points(string path, string title, string xLabel, string yLabel, IReadOnlyList<(string Name, (double X, double Y)[] Points)> series)
    {
        var plot = New(title, xLabel, yLabel);
        foreach (var (name, points) in series)
        {
            var marks = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            marks.LegendText = name;
            marks.MarkerSize = 9;
        }
        plot.Axes.Margins(0.1, 0.1);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SaveSvg(path, Width, Height);
    }

    private static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }
}
