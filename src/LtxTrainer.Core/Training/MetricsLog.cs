using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtxTrainer.Core.Training;

/// <summary>
/// The metrics file: one JSON object per line and step (<see cref="StepMetrics"/>), flushed as each step ends so
/// that a killed run keeps every finished line. A resumed run first drops the lines after its checkpoint's step
/// (steps it is about to redo), so the file always reads as one run.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly StreamWriter _writer;

    private MetricsLog(string path, StreamWriter writer)
    {
        Path = path;
        _writer = writer;
    }

    public string Path { get; }

    /// <summary>
    /// Opens the file for a run starting after <paramref name="resumeStep"/> steps: 0 starts a new file; otherwise
    /// lines up to that step are kept and later ones dropped.
    /// </summary>
    public static MetricsLog Open(string path, int resumeStep)
    {
        var kept = resumeStep > 0 && File.Exists(path) ? Read(path).Where(m => m.Step <= resumeStep).ToList() : [];
        var sb = new StringBuilder();
        foreach (var m in kept) sb.Append(JsonSerializer.Serialize(m, Options)).Append('\n');
        File.WriteAllText(path, sb.ToString());
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new MetricsLog(path, new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" });
    }

    public void Append(StepMetrics metrics)
    {
        _writer.WriteLine(JsonSerializer.Serialize(metrics, Options));
        _writer.Flush();
    }

    /// <summary>Every complete line of a metrics file (a torn last line, from a kill mid-write, is skipped).</summary>
    public static IReadOnlyList<StepMetrics> Read(string path)
    {
        var list = new List<StepMetrics>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize<StepMetrics>(line, Options) is { } m) list.Add(m);
            }
            catch (JsonException) { /* a line cut by a kill */ }
        }
        return list;
    }

    public void Dispose() => _writer.Dispose();
}
