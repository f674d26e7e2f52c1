using System.Diagnostics;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Text;
using TorchSharp;

namespace LtxTrainer.Bench.TextEncoder;

/// <summary>
/// One measured mode, run in its own process so that its peak resident memory (VmHWM) is its own:
/// load, tokenize, Gemma forward, feature extraction, release, then the caption-cache hit path.
/// </summary>
internal static class ModeRun
{
    public static JsonObject Measure(BenchOptions o, string gemma, string heads, GemmaLoadMode mode)
    {
        var dtype = o.DType == "bfloat16" ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;
        var result = new JsonObject { ["mode"] = mode.ToString(), ["rss_start_bytes"] = ProcessMemory.CurrentRss };
        var sw = Stopwatch.StartNew();

        var tokenizer = GemmaTokenizer.Open(gemma);
        string prompt = LongPrompt(tokenizer, o.Tokens);
        var tokens = tokenizer.Tokenize([prompt], o.Tokens);
        result["tokenize_s"] = Lap(sw);
        result["valid_tokens"] = tokens.ValidCounts[0];

        var model = Gemma3TextModel.Load(gemma, mode, dtype, torch.CPU);
        using var headsSource = TensorSources.Open(heads);
        var extractor = TextFeatureExtractors.Load(headsSource, model.Config, false, dtype, torch.CPU);
        result["load_s"] = Lap(sw);
        result["rss_after_load_bytes"] = ProcessMemory.CurrentRss;

        CaptionEmbedding embedding;
        using (var ids = tokens.InputIdsTensor())
        using (var mask = tokens.AttentionMaskTensor())
        {
            // As the text encoder runs it: hidden states go straight into the feature accumulator.
            using var accumulator = extractor.Begin(mask);
            double featureSeconds = 0;
            sw.Restart();
            model.ForwardStates([(ids, mask)], (_, index, state) =>
            {
                long t0 = Stopwatch.GetTimestamp();
                accumulator.Add(index, state);
                featureSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            });
            using var features = accumulator.Finish();
            double total = Lap(sw);
            result["forward_s"] = Math.Round(total - featureSeconds, 4);
            result["feature_extractor_s"] = Math.Round(featureSeconds, 4);
            using var audio = features.Audio.to(torch.float32);
            embedding = new CaptionEmbedding(prompt, audio[0].clone(), mask[0].clone(), tokens.Truncated[0]);
        }
        result["rss_peak_encoding_bytes"] = ProcessMemory.PeakRss;
        extractor.Dispose();
        model.Dispose(); // as TextEncoder.Dispose: Gemma last, which trims the native heap
        GC.Collect();
        result["rss_after_release_bytes"] = ProcessMemory.CurrentRss;

        using (var checkpoint = GemmaCheckpoint.Open(gemma))
        {
            sw.Restart();
            using var layer = GemmaLayerWeights.Load(checkpoint, 0, dtype, torch.CPU);
            result["one_layer_load_s"] = Lap(sw);
            result["one_layer_bytes"] = layer.ByteSize;
        }

        var options = new TextEncoderOptions { MaxLength = o.Tokens, DType = dtype };
        sw.Restart();
        string identity = TextModelIdentity.Compute(gemma, heads, options);
        result["model_identity_s"] = Lap(sw);
        var cache = new CaptionEmbeddingCache(Path.Combine(o.WorkFolder, "cache-" + mode), identity, o.Tokens);
        using (embedding) cache.Store(embedding);
        sw.Restart();
        var hits = cache.GetOrEncode([prompt], () => throw new InvalidOperationException("cache miss: Gemma would be opened"));
        result["cache_hit_s"] = Lap(sw);
        foreach (var h in hits) h.Dispose();
        result["cache_entry_bytes"] = new FileInfo(cache.PathFor(prompt)).Length;
        return result;
    }

    private static double Lap(Stopwatch sw)
    {
        double s = sw.Elapsed.TotalSeconds;
        sw.Restart();
        return Math.Round(s, 4);
    }

    // A caption long enough to fill the token budget (truncated to exactly that many tokens).
    private static string LongPrompt(GemmaTokenizer tokenizer, int tokens)
    {
        const string sentence = "Heavy rain falls on a tin roof while distant thunder rolls and a dog barks twice near the old cafe. ";
        var text = sentence;
        while (tokenizer.EncodeWithBos(text).Count < tokens) text += sentence;
        return text;
    }
}
