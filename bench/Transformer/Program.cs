using System.Diagnostics;
using System.Text.Json;
using LtxTrainer.Bench.Transformer;
using static TorchSharp.torch;

// Usage:
//   dotnet run -c Release --project bench/Transformer -- [--depths 2,4] [--steps 1] [--video-gb 2] [--checkpoint-depth 4]
//                                                         [--out bench/results/transformer.json] [--cuda]
// Each measurement runs in its own child process so that peak-memory figures do not mix.
var options = Options.Parse(args);
var device = options.Cuda ? CUDA : CPU;

switch (options.Mode)
{
    case "counts":
        Emit(ParameterCounts.Run());
        return;
    case "train":
        Emit(TrainStepBench.Run(options.Depth, 126, 1024, options.Steps, device));
        return;
    case "write":
        Emit(CheckpointBench.Write(options.Path!, options.Depth, (long)(options.VideoGb * (1L << 30))));
        return;
    case "load":
        Emit(CheckpointBench.Load(options.Path!));
        return;
}

var results = new Dictionary<string, object>
{
    ["machine"] = new Dictionary<string, object> { ["cores"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString() },
    ["parameter_counts"] = Child("counts"),
};
var trains = options.Depths.Select(d => Child("train", "--depth", d.ToString(), "--steps", options.Steps.ToString())).ToList();
results["train_step"] = trains;
if (trains.Count >= 2)
{
    // Linear model over depth: cost = fixed + depth × per-block; extrapolated to the real 48 blocks.
    double d0 = options.Depths[0], d1 = options.Depths[^1];
    double t0 = trains[0].GetProperty("step_seconds_mean").GetDouble(), t1 = trains[^1].GetProperty("step_seconds_mean").GetDouble();
    double m0 = trains[0].GetProperty("peak_rss_bytes").GetDouble(), m1 = trains[^1].GetProperty("peak_rss_bytes").GetDouble();
    double perBlockSeconds = (t1 - t0) / (d1 - d0), perBlockBytes = (m1 - m0) / (d1 - d0);
    results["train_step_extrapolated_48_blocks"] = new Dictionary<string, object>
    {
        ["method"] = "linear fit of the measured depths (not measured at 48 blocks)",
        ["per_block_step_seconds"] = perBlockSeconds, ["per_block_peak_rss_bytes"] = perBlockBytes,
        ["step_seconds"] = t1 + (48 - d1) * perBlockSeconds, ["peak_rss_bytes"] = m1 + (48 - d1) * perBlockBytes,
    };
}
var ckpt = Path.Combine(Path.GetTempPath(), $"ltx-bench-{Environment.ProcessId}.safetensors");
try
{
    results["checkpoint_write"] = Child("write", "--path", ckpt, "--depth", options.CheckpointDepth.ToString(), "--video-gb", options.VideoGb.ToString(System.Globalization.CultureInfo.InvariantCulture));
    results["checkpoint_load"] = Child("load", "--path", ckpt);
}
finally
{
    File.Delete(ckpt);
}
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
File.WriteAllText(options.Out, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
Console.Error.WriteLine($"wrote {options.Out}");

JsonElement Child(string mode, params string[] extra)
{
    var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    var self = Environment.GetCommandLineArgs()[0];
    if (self.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) psi.ArgumentList.Add(self);
    psi.ArgumentList.Add("--mode");
    psi.ArgumentList.Add(mode);
    foreach (var e in extra) psi.ArgumentList.Add(e);
    if (options.Cuda) psi.ArgumentList.Add("--cuda");
    Console.Error.WriteLine($"[{mode} {string.Join(' ', extra)}]");
    using var p = Process.Start(psi)!;
    string output = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"benchmark phase '{mode}' failed with exit code {p.ExitCode}");
    return JsonDocument.Parse(output).RootElement.Clone();
}

static void Emit(Dictionary<string, object> result) => Console.WriteLine(JsonSerializer.Serialize(result));
