using ScottPlot;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Outputs;

/// <summary>
/// A spectrogram PNG of generated audio (the channels' mean, magnitude STFT in dB), with the seam between the
/// generated lead-in and the clean suffix marked by a labelled vertical line. Drawn with ScottPlot, headless.
/// Shared by the preview cmdlet and the trainer's validation previews.
/// </summary>
public static class SpectrogramPlot
{
    /// <summary>Dynamic range shown below the loudest bin.</summary>
    public const double RangeDb = 90;

    /// <summary>Writes the PNG (atomically: a temporary file, then a rename).</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="channels">The waveform, one array per channel, all of one length.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="seamSeconds">Where the suffix starts (no line when null).</param>
    /// <param name="title">Title above the plot.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static void Write(string path, IReadOnlyList<float[]> channels, int sampleRate, double? seamSeconds, string? title = null,
        int width = 1000, int height = 500)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (channels.Count == 0 || channels[0].Length == 0) throw new ArgumentException("There is no audio to plot.", nameof(channels));
        double seconds = (double)channels[0].Length / sampleRate;
        var decibels = Decibels(channels, sampleRate, out int hop);

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(decibels);
        heatmap.Colormap = new ScottPlot.Colormaps.Magma();
        // Rows run from the highest frequency down (row 0 is drawn at the top); each column spans one hop.
        heatmap.Extent = new CoordinateRect(0, (double)decibels.GetLength(1) * hop / sampleRate, 0, sampleRate / 2.0);
        plot.Add.ColorBar(heatmap).Label = "dB";
        if (seamSeconds is double seam)
        {
            var line = plot.Add.VerticalLine(seam, 2, Colors.Cyan);
            line.LinePattern = LinePattern.Dashed;
            // The label sits inside the plot just right of the line, clear of the title.
            var label = plot.Add.Text("suffix", seam, sampleRate / 2.0 * 0.97);
            label.LabelFontColor = Colors.Cyan;
            label.LabelBold = true;
            label.OffsetX = 4;
        }
        plot.Axes.SetLimits(0, seconds, 0, sampleRate / 2.0);
        plot.XLabel("time (s)");
        plot.YLabel("frequency (Hz)");
        if (title is not null) plot.Title(title);

        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder ?? ".", "." + Path.GetFileNameWithoutExtension(full) + ".tmp-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            plot.SavePng(temp, width, height);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Magnitude in dB [frequency bins (highest first), frames] of the channels' mean: Hann window, FFT size about
    /// 21 ms (a power of two), hop a quarter of it, clipped to <see cref="RangeDb"/> below the peak.
    /// </summary>
    public static double[,] Decibels(IReadOnlyList<float[]> channels, int sampleRate, out int hop)
    {
        int nFft = (int)Math.Max(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, sampleRate / 48)));
        hop = nFft / 4;
        using var scope = NewDisposeScope();
        var mono = stack(channels.Select(c => tensor(c)).ToArray()).mean([0]);
        if (mono.shape[0] < nFft) mono = nn.functional.pad(mono, [0, nFft - mono.shape[0]]);
        var spec = stft(mono, nFft, hop, nFft, hann_window(nFft), center: true, return_complex: true).abs();   // [bins, frames]
        var db = 20 * (spec + 1e-9).log10();
        var peak = db.max().item<float>();
        db = db.clamp(min: peak - RangeDb).flip(0).to(ScalarType.Float64).contiguous();
        long bins = db.shape[0], frames = db.shape[1];
        var values = db.data<double>().ToArray();
        var result = new double[bins, frames];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }
}
