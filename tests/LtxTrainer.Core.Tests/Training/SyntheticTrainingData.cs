using LtxTrainer.Core.Tests.Model;
using LtxTrainer.Core.Text;
using LtxTrainer.Core.Training;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

/// <summary>
/// Training data in latent space for the tiny golden transformer, where the lead-in is determined by the caption
/// and the suffix: caption c names a "pitch", and every clip of caption c is a tone — a sinusoid over time whose
/// frequency is that pitch, in a caption-specific channel pattern, with a per-clip phase and amplitude — that
/// leads into the same fixed "click" (the last K tokens). Contexts are the golden checkpoint's own audio connector
/// applied to a fixed random feature sequence per caption, as the production path does with Gemma's features.
/// </summary>
internal static class SyntheticTrainingData
{
    public const int TextTokens = 128;   // a multiple of the connector's registers, like the golden 128

    /// <summary>Clips [1, T, C] for <paramref name="clipsPerCaption"/> clips of each of <paramref name="captions"/> captions.</summary>
    public static TrainingData Create(TransformerGolden golden, int captions, int clipsPerCaption, long tokens, long suffixTokens, int seed)
    {
        int channels = golden.Checkpoint.Config.AudioInChannels;
        var g = new Generator((ulong)seed);
        using var patterns = randn(new long[] { captions, channels }, generator: new Generator(1234));
        using var click = randn(new long[] { suffixTokens, channels }, generator: new Generator(4321)) * 1.5;
        var samples = new List<TrainingSample>();
        for (int c = 0; c < captions; c++)
        for (int i = 0; i < clipsPerCaption; i++)
        {
            using var scope = NewDisposeScope();
            double pitch = 0.15 + 0.25 * c;                                      // the caption names the pitch
            double phase = rand(1, generator: g).item<float>() * 2 * Math.PI;
            double amplitude = 0.8 + 0.4 * rand(1, generator: g).item<float>();
            var time = arange(tokens - suffixTokens, ScalarType.Float32).unsqueeze(1);
            var tone = (time * pitch + phase).sin() * patterns[c].unsqueeze(0) * amplitude;
            var clip = cat([tone, click], 0).unsqueeze(0).contiguous();
            samples.Add(new TrainingSample($"tone{c}_{i}", clip.DetachFromDisposeScope(), c));
        }

        using var connector = AudioTextContextBuilder.Load(golden.Checkpoint, ScalarType.Float32);
        var contexts = new List<AudioTextContext>();
        for (int c = 0; c < captions; c++)
        {
            using var features = randn(new long[] { 1, TextTokens, connector.InnerDim }, generator: new Generator((ulong)(100 + c)));
            using var mask = ones(new long[] { 1, TextTokens }, ScalarType.Int64);
            contexts.Add(connector.Apply(features, mask));
        }
        var names = Enumerable.Range(0, captions).Select(c => $"a tone at pitch {c}, then a click").ToList();
        return new TrainingData(samples, names, contexts, $"synthetic:{captions}x{clipsPerCaption}:{tokens}:{suffixTokens}:{seed}");
    }
}
