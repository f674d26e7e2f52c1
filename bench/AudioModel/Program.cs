using System.Diagnostics;
using System.Text.Json;
using LtxTrainer.Bench;
using LtxTrainer.Bench.AudioModel;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Vocoder;
using TorchSharp;
using static TorchSharp.torch;

// Builds the REAL-size LTX-2.3 audio VAE and vocoder with random weights, checks their parameter counts
// against docs/numerical-reference.md ("Sizes"), writes them as a bf16 real-layout checkpoint, loads them back through
// the
// production loaders, and times a 5 s encode, decode and vocoder pass. Results: bench/results/audio_model.json.
const long ExpectedLtx2Vocoder = 55_592_802;
const long ExpectedEncoder = 21_333_008, ExpectedDecoder = 31_915_138, ExpectedVocoderMain = 115_075_032, ExpectedBwe = 13_462_416;
const double Seconds = 5.0;

// Usage: AudioModel [--long <encodeSeconds> [<vocoderSeconds>]] [repoRoot]
if (args.Length > 0 && args[0] == "--long")
{
    double enc = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60;
    double voc = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
    var longResults = LongInputMemory.Run(enc, voc);
    longResults["benchmark"] = "audio_model_long_input";
    longResults["utc"] = DateTime.UtcNow.ToString("o");
    Write(Path.Combine(args.Length > 3 ? args[3] : FindRepoRoot(), "bench", "results", "audio_model_long.json"), longResults);
    Console.WriteLine(JsonSerializer.Serialize(longResults, new JsonSerializerOptions { WriteIndented = true }));
    return 0;
}

// Usage: AudioModel --vocoder <seconds> <repetitions> [<threads, 0 = torch default>] [resultFile]
if (args.Length > 0 && args[0] == "--vocoder")
{
    double seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
    int repetitions = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
    int threads = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0;
    var speed = VocoderSpeed.Run(seconds, repetitions, threads);
    speed["benchmark"] = "vocoder_speed";
    speed["utc"] = DateTime.UtcNow.ToString("o");
    Write(args.Length > 4 ? args[4] : Path.Combine(FindRepoRoot(), "bench", "results", "vocoder_speed.json"), speed);
    Console.WriteLine(JsonSerializer.Serialize(speed, new JsonSerializerOptions { WriteIndented = true }));
    return 0;
}

var repo = args.Length > 0 ? args[0] : FindRepoRoot();
var resultPath = Path.Combine(repo, "bench", "results", "audio_model.json");
var work = Directory.CreateTempSubdirectory("ltx-audio-bench-").FullName;
var results = new Dictionary<string, object>
{
    ["benchmark"] = "audio_model",
    ["utc"] = DateTime.UtcNow.ToString("o"),
    ["threads"] = torch.get_num_threads(),
    ["processor_count"] = Environment.ProcessorCount,
    ["input_seconds"] = Seconds,
};

try
{
    var vaeConfig = RealSizeConfigs.AudioVae();
    var vocoderConfig = RealSizeConfigs.Vocoder();
    var checkpoint = Path.Combine(work, "audio_real_layout.safetensors");

    long encoderParams, decoderParams, mainParams, bweParams;
    using (var encoder = new AudioEncoderNetwork(vaeConfig))
    using (var decoder = new AudioDecoderNetwork(vaeConfig))
    using (var vocoder = new VocoderWithBwe(vocoderConfig))
    {
        encoderParams = Count(encoder);
        decoderParams = Count(decoder);
        mainParams = Count(vocoder.Main);
        bweParams = Count(vocoder.BweGenerator);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        using var scope = NewDisposeScope();
        FillDftBasis(vocoder.state_dict()["mel_stft.stft_fn.forward_basis"]);
        Add(tensors, AudioVaeEncoder.Prefix, encoder);
        Add(tensors, AudioVaeDecoder.Prefix, decoder);
        Add(tensors, WaveformVocoder.Prefix, vocoder);
        tensors.Add(new(PerChannelStatistics.MeanKey, zeros(vaeConfig.TokenWidth).to(bfloat16)));
        tensors.Add(new(PerChannelStatistics.StdKey, ones(vaeConfig.TokenWidth).to(bfloat16)));
        SafetensorsWriter.Write(checkpoint, tensors, new Dictionary<string, string> { ["config"] = RealSizeConfigs.Json });
    }
    results["parameters"] = new Dictionary<string, long>
    {
        ["encoder"] = encoderParams, ["decoder"] = decoderParams,
        ["vocoder_main"] = mainParams, ["vocoder_bwe"] = bweParams, ["vocoder_total"] = mainParams + bweParams,
    };
    long ltx2Params;
    using (var ltx2 = new VocoderGenerator(RealSizeConfigs.Ltx2Vocoder().Main))
        ltx2Params = Count(ltx2);
    ((Dictionary<string, long>)results["parameters"])["ltx2_hifigan_vocoder"] = ltx2Params;
    bool countsMatch = ltx2Params == ExpectedLtx2Vocoder && encoderParams == ExpectedEncoder && decoderParams == ExpectedDecoder
                       && mainParams == ExpectedVocoderMain && bweParams == ExpectedBwe;
    results["parameter_counts_match_spec"] = countsMatch;
    results["checkpoint_bytes_bf16"] = new FileInfo(checkpoint).Length;
    GC.Collect();

    results["peak_rss_building_and_writing_bytes"] = ProcessMemory.PeakRss;
    ProcessMemory.ResetPeak();
    using var source = TensorSources.Open(checkpoint);
    var sw = Stopwatch.StartNew();
    using var vaeEncoder = AudioVaeEncoder.Load(source);
    results["load_encoder_s"] = sw.Elapsed.TotalSeconds;
    sw.Restart();
    using var vaeDecoder = AudioVaeDecoder.Load(source);
    results["load_decoder_s"] = sw.Elapsed.TotalSeconds;
    sw.Restart();
    using var waveformVocoder = WaveformVocoder.Load(source);
    results["load_vocoder_s"] = sw.Elapsed.TotalSeconds;

    results["peak_rss_after_loading_bytes"] = ProcessMemory.PeakRss;
    ProcessMemory.ResetPeak();
    int samples = (int)(Seconds * vaeConfig.SampleRate);
    using var wave = randn(1, 2, samples, generator: new Generator(1)) * 0.1;
    Tensor tokens = vaeEncoder.EncodeToTokens(wave); // warm-up
    tokens.Dispose();
    sw.Restart();
    tokens = vaeEncoder.EncodeToTokens(wave);
    results["encode_5s_s"] = sw.Elapsed.TotalSeconds;
    results["encode_tokens_shape"] = tokens.shape;

    sw.Restart();
    using var mel = vaeDecoder.DecodeTokens(tokens);
    results["decode_5s_s"] = sw.Elapsed.TotalSeconds;
    results["decoded_mel_shape"] = mel.shape;

    sw.Restart();
    using var audio = waveformVocoder.Forward(mel);
    results["vocoder_5s_s"] = sw.Elapsed.TotalSeconds;
    results["vocoder_output_shape"] = audio.shape;
    results["vocoder_output_rate"] = waveformVocoder.OutputSampleRate;
    tokens.Dispose();

    results["peak_rss_inference_bytes"] = ProcessMemory.PeakRss;
    results["load_average_after"] = File.ReadAllText("/proc/loadavg").Trim();
    Write(resultPath, results);
    Console.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
    if (!countsMatch)
    {
        Console.Error.WriteLine($"Parameter counts differ from docs/numerical-reference.md: encoder {encoderParams} (want {ExpectedEncoder}), decoder {decoderParams} " +
                                $"(want {ExpectedDecoder}), vocoder {mainParams} (want {ExpectedVocoderMain}), BWE {bweParams} (want {ExpectedBwe}), " +
                                $"LTX-2 HiFi-GAN {ltx2Params} (want {ExpectedLtx2Vocoder}).");
        return 1;
    }
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

static void Add(List<KeyValuePair<string, Tensor>> into, string prefix, nn.Module module)
{
    foreach (var (name, t) in module.state_dict())
        into.Add(new(prefix + name, t.to(bfloat16)));
}

// A periodic-Hann windowed DFT basis in the checkpoint's [real ; imaginary] row layout, so the synthetic
// file passes the loader's layout check the way a real one does.
static void FillDftBasis(Tensor basis)
{
    using var scope = NewDisposeScope();
    long nFft = basis.shape[2], freqs = basis.shape[0] / 2;
    var n = arange(nFft, dtype: float64);
    var k = arange(freqs, dtype: float64).unsqueeze(1);
    var angle = k * n * (2 * Math.PI / nFft);
    var window = hann_window(nFft, periodic: true, dtype: float64);
    var rows = cat([angle.cos() * window, -angle.sin() * window], 0).unsqueeze(1);
    using (no_grad()) basis.copy_(rows.to(float32));
}

static void Write(string path, Dictionary<string, object> results)
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LtxTrainer.sln"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
