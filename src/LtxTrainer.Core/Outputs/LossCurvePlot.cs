using LtxTrainer.Core.Training;
using ScottPlot;

namespace LtxTrainer.Core.Outputs;

/// <summary>
/// The loss curve PNG of a run: every step's loss as faint points (flow-matching loss varies a lot with the σ drawn)
/// and its exponential moving average as a line, over steps. Drawn headless with ScottPlot, like
/// <see cref="SpectrogramPlot"/>.
/// </summary>
public static class LossCurvePlot
{
    /// <summary>Writes the PNG (atomically) from the metrics of a run.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="metrics">One entry per step, in order.</param>
    /// <param name="smoothing">Weight of the newest step in the moving average (the run's setting).</param>
    /// <param name="title">Title above the plot.</param>
    public static void Write(string path, IReadOnlyList<StepMetrics> metrics, double smoothing, string? title = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (metrics.Count == 0) throw new ArgumentException("There are no steps to plot.", nameof(metrics));
        var steps = metrics.Select(m => (double)m.Step).ToArray();
        var losses = metrics.Select(m => m.Loss).ToArray();

        var plot = new Plot();
        var raw = plot.Add.ScatterPoints(steps, losses);
        raw.Color = Colors.SteelBlue.WithAlpha(0.35);
        raw.MarkerSize = 3;
        raw.LegendText = "loss per step";
        var line = plot.Add.ScatterLine(steps, Smoothed(losses, smoothing));
        line.Color = Colors.OrangeRed;
        line.LineWidth = 2;
        line.LegendText = "moving average";
        plot.ShowLegend(Alignment.UpperRight);
        plot.XLabel("step");
        plot.YLabel("flow-matching loss (lead-in tokens)");
        if (title is not null) plot.Title(title);

        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, "." + Path.GetFileNameWithoutExtension(full) + ".tmp-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            plot.SavePng(temp, 1000, 500);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The exponential moving average the run reports (first value = first loss).</summary>
    public static double[] Smoothed(IReadOnlyList<double> losses, double smoothing)
    {
        var result = new double[losses.Count];
        for (int i = 0; i < losses.Count; i++)
            result[i] = i == 0 ? losses[0] : result[i - 1] + smoothing * (losses[i] - result[i - 1]);
        return result;
    }
}
