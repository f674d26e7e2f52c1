using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtxTrainer.Bench.TextEncoder;
using LtxTrainer.Core.Text;
using TorchSharp;

// Text-encoder benchmark: Gemma 3 12B widths with a reduced layer count, random bf16 weights in a sharded
// folder, measured whole and streamed (each in its own process for an honest peak RSS), extrapolated to
// the full 48 layers. Results: bench/results/text_encoder.json.
var o = BenchOptions.Parse(args);
if (o.Threads > 0) torch.set_num_threads(o.Threads);
if (o.Child is not null)
{
    var (g, h) = SyntheticGemmaFolder.Ensure(o.WorkFolder, o.Layers, o.Tokenizer ?? "");
    var measured = ModeRun.Measure(o, g, h, Enum.Parse<GemmaLoadMode>(o.Child));
    Console.WriteLine(measured.ToJsonString());
    return 0;
}

string tokenizerModel = o.Tokenizer ?? Path.Combine(RepoRoot(), "..", "shared", "golden", "text", "gemma", "tokenizer.model");
var sw = Stopwatch.StartNew();
var (gemma, heads) = SyntheticGemmaFolder.Ensure(o.WorkFolder, o.Layers, tokenizerModel);
double prepare = sw.Elapsed.TotalSeconds;

var runs = new Dictionary<GemmaLoadMode, JsonObject>();
foreach (var mode in new[] { GemmaLoadMode.Streamed, GemmaLoadMode.Whole })
{
    Console.Error.WriteLine($"measuring {mode} ...");
    runs[mode] = RunChild(o, mode);
    Console.Error.WriteLine(runs[mode].ToJsonString());
}

double D(GemmaLoadMode m, string k) => runs[m][k]!.GetValue<double>();
long L(GemmaLoadMode m, string k) => runs[m][k]!.GetValue<long>();
int full = o.FullLayers;
double feScale = (full + 1.0) / (o.Layers + 1.0); // the projection's input grows with the number of hidden states
long layerBytes = L(GemmaLoadMode.Whole, "one_layer_bytes");
int elem = o.DType == "bfloat16" ? 2 : 4;
// The model keeps the embedding table in its stored dtype (bf16 here) when that is the narrower one.
long embeddingBytes = (long)SyntheticGemmaFolder.Vocab * SyntheticGemmaFolder.Hidden * Math.Min(elem, 2);
// What grows with depth besides resident layers: the feature-extractor projection (hidden inputs per state).
// Hidden states are consumed as they are made, so no per-layer activation stays behind.
long depthGrowth = (long)(full - o.Layers) * SyntheticGemmaFolder.Hidden * elem * SyntheticGemmaFolder.AudioDim;

JsonObject Extrapolate(GemmaLoadMode m)
{
    double perLayer = D(m, "forward_s") / o.Layers;
    return new JsonObject
    {
        ["per_layer_forward_s"] = Math.Round(perLayer, 4),
        ["gemma_forward_full_s"] = Math.Round(perLayer * full, 2),
        ["feature_extractor_full_s"] = Math.Round(D(m, "feature_extractor_s") * feScale, 2),
        ["encode_one_prompt_full_s"] = Math.Round(D(m, "tokenize_s") + perLayer * full + D(m, "feature_extractor_s") * feScale, 2),
    };
}

// What GemmaLoadMode.Auto would choose for the full model on this machine, from its memory estimates.
var fullConfig = new Gemma3TextConfig
{
    VocabSize = SyntheticGemmaFolder.Vocab, HiddenSize = SyntheticGemmaFolder.Hidden, IntermediateSize = SyntheticGemmaFolder.Intermediate,
    NumHiddenLayers = full, NumAttentionHeads = SyntheticGemmaFolder.Heads, NumKeyValueHeads = SyntheticGemmaFolder.KvHeads,
    HeadDim = SyntheticGemmaFolder.HeadDim,
};
var computeDType = o.DType == "bfloat16" ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;
var autoOptions = new TextEncoderOptions { MaxLength = o.Tokens, DType = computeDType };
long? available = GemmaMemoryPlan.AvailableBytes(torch.CPU);
var autoChoice = new JsonObject
{
    ["available_bytes_now"] = available,
    ["whole_model_bytes_estimate"] = GemmaMemoryPlan.WholeModelBytes(fullConfig, computeDType, torch.ScalarType.BFloat16),
    ["working_bytes_estimate"] = GemmaMemoryPlan.WorkingBytes(fullConfig, autoOptions),
    ["usable_fraction"] = GemmaMemoryPlan.UsableFraction,
    ["chosen"] = GemmaMemoryPlan.Resolve(GemmaLoadMode.Auto, fullConfig, torch.ScalarType.BFloat16, autoOptions, available).ToString(),
};

var whole = runs[GemmaLoadMode.Whole];
long wholeBase = L(GemmaLoadMode.Whole, "rss_peak_encoding_bytes") - (long)o.Layers * layerBytes;
var report = new JsonObject
{
    ["benchmark"] = "text_encoder",
    ["timestamp_utc"] = DateTime.UtcNow.ToString("O"),
    ["machine"] = new JsonObject
    {
        ["processor_count"] = Environment.ProcessorCount,
        ["torch_threads"] = o.Threads > 0 ? o.Threads : torch.get_num_threads(),
        ["load_average_at_end"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
        ["device"] = "cpu",
    },
    ["model"] = new JsonObject
    {
        ["widths"] = "Gemma 3 12B: hidden 3840, 16 heads / 8 kv heads, head_dim 256, intermediate 15360, vocab 262208",
        ["layers_measured"] = o.Layers,
        ["layers_full"] = full,
        ["weights_file_dtype"] = "bfloat16",
        ["compute_dtype"] = o.DType,
        ["prompt_tokens"] = o.Tokens,
        ["synthetic_folder_prepare_s"] = Math.Round(prepare, 2),
    },
    ["measured"] = new JsonObject { ["whole"] = runs[GemmaLoadMode.Whole], ["streamed"] = runs[GemmaLoadMode.Streamed] },
    ["extrapolated_full_model"] = new JsonObject
    {
        ["whole"] = Extrapolate(GemmaLoadMode.Whole),
        ["streamed"] = Extrapolate(GemmaLoadMode.Streamed),
        ["whole_peak_rss_bytes_estimate"] = wholeBase + (long)full * layerBytes + depthGrowth,
        ["streamed_peak_rss_bytes_estimate"] = L(GemmaLoadMode.Streamed, "rss_peak_encoding_bytes") + depthGrowth,
        ["one_layer_bytes"] = layerBytes,
        ["embedding_bytes_resident_in_whole_mode"] = embeddingBytes,
    },
    ["cache_hit_s"] = D(GemmaLoadMode.Whole, "cache_hit_s"),
    ["auto_mode_full_model"] = autoChoice,
    ["notes"] = "Gemma forward and feature-extractor times are split inside one layer-by-layer pass (the accumulator's time is timed apart). Per-layer time = Gemma forward / measured layers (streamed includes reading each layer from the memory-mapped shards). " +
                "Full-model figures scale the per-layer time to the full layer count and the feature-extractor time by (full+1)/(measured+1) hidden states; " +
                "Full peak estimates add, for the missing layers, the projection's extra inputs (hidden states feed the feature accumulator as they are made, so no stack of states is kept), and for whole mode the resident layers; streamed mode holds one layer at a time. " +
                "Measured on a shared 2-core CPU machine under load from other jobs: absolute times are pessimistic and noisy; bf16 on CUDA is the production path.",
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(o.Output))!);
File.WriteAllText(o.Output, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(File.ReadAllText(o.Output));
if (!o.Keep) Directory.Delete(o.WorkFolder, true);
return 0;

static JsonObject RunChild(BenchOptions o, GemmaLoadMode mode)
{
    var self = Environment.ProcessPath!;
    var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(BenchOptions).Assembly.Location);
    foreach (var a in o.ChildArguments(mode.ToString())) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    string stdout = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{mode} run failed with exit code {p.ExitCode}");
    return JsonNode.Parse(stdout.Trim().Split('\n')[^1])!.AsObject();
}

static string RepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LtxTrainer.sln"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
