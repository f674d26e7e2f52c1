using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Text;

public sealed class CaptionEmbeddingCacheTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("ltx-capcache-");
    private readonly TextGolden _golden = new();

    public void Dispose()
    {
        _golden.Dispose();
        _temp.Delete(true);
    }

    private TextEncoderOptions Options => new() { MaxLength = _golden.MaxLength(), BatchSize = 2 };

    private string Identity(TextEncoderOptions options) =>
        TextModelIdentity.Compute(_golden.PathOf("gemma"), _golden.PathOf("tiny_text_heads.safetensors"), options);

    private CaptionEmbeddingCache NewCache() => new(Path.Combine(_temp.FullName, "cache"), Identity(Options), Options.MaxLength);

    private static void DisposeAll(IEnumerable<CaptionEmbedding> list)
    {
        foreach (var e in list) e.Dispose();
    }

    [Fact]
    public void GetOrEncode_SecondRun_NeverOpensGemmaAndReturnsTheSameEmbeddings()
    {
        var prompts = _golden.Prompts();
        var captions = new[] { prompts[0], prompts[1], prompts[0], prompts[2] };
        int opened = 0;
        var cache = NewCache();

        var first = cache.GetOrEncode(captions, () =>
        {
            opened++;
            return TextEncoder.Open(_golden.PathOf("gemma"), _golden.PathOf("tiny_text_heads.safetensors"), Options);
        });
        var second = new CaptionEmbeddingCache(cache.Folder, cache.ModelIdentity, cache.MaxLength)
            .GetOrEncode(captions, () => throw new InvalidOperationException("Gemma must not be opened on a full cache hit"));
        try
        {
            Assert.Equal(1, opened);
            Assert.Equal(3, Directory.GetFiles(cache.Folder).Length);
            Assert.Equal(captions, second.Select(e => e.Caption));
            for (int i = 0; i < captions.Length; i++)
            {
                Assert.Equal(0.0, TensorAssert.MaxAbs(first[i].AudioFeatures, second[i].AudioFeatures));
                Assert.Equal(first[i].AttentionMask.data<long>().ToArray(), second[i].AttentionMask.data<long>().ToArray());
                Assert.Equal(first[i].Truncated, second[i].Truncated);
            }
            using var expected = _golden.Tensor("features.audio");
            using var cached = torch.stack(new[] { second[0], second[1], second[3] }.Select(e => e.AudioFeatures).ToArray());
            TensorAssert.Close(expected, cached, _golden.Tolerance("features.audio"), "cached features.audio");
        }
        finally
        {
            DisposeAll(first);
            DisposeAll(second);
        }
    }

    private static AudioSuffixDataset DatasetWithCaptions(params string[] captions)
    {
        var carving = SuffixCarving.For(4.0, 1.0);
        var clips = captions.Select((caption, i) => new ClipRecord($"clip{i}", $"clip{i}.wav", null, caption, $"clips/clip{i}.wav",
            $"clips/clip{i}.txt", 16000, 2, 4.0, 4.0, 64000, carving.LeadInSeconds, carving.SuffixSeconds, carving.LeadInSteps,
            carving.SuffixSteps, carving.ClipSteps, 0.5, 1.0, null)).ToArray();
        return new AudioSuffixDataset(DatasetManifest.CurrentFormatVersion, new DatasetSettings(4.0, 1.0), "clips.zip",
            DateTimeOffset.UnixEpoch, carving, clips, [], []);
    }

    [Fact]
    public void EncodeMissing_Dataset_EncodesEachCaptionOnceReleasesGemmaAndASecondRunNeverOpensIt()
    {
        var prompts = _golden.Prompts();
        var dataset = DatasetWithCaptions(prompts[0], prompts[1], prompts[0]);
        var cache = NewCache();
        var opened = new List<TextEncoder>();

        int encoded = cache.EncodeMissing(dataset, () =>
        {
            var encoder = TextEncoder.Open(_golden.PathOf("gemma"), _golden.PathOf("tiny_text_heads.safetensors"), Options);
            opened.Add(encoder);
            return encoder;
        });
        int reencoded = new CaptionEmbeddingCache(cache.Folder, cache.ModelIdentity, cache.MaxLength)
            .EncodeMissing(dataset, () => throw new InvalidOperationException("Gemma must not be opened when every caption is cached"));

        Assert.Equal(2, encoded);
        Assert.Equal(0, reencoded);
        var encoderUsed = Assert.Single(opened);
        Assert.Throws<ObjectDisposedException>(() => encoderUsed.Encode(["x"])); // Gemma released before returning
        Assert.Empty(cache.Missing(dataset.Clips.Select(c => c.Caption)));
        using var expected = _golden.Tensor("features.audio");
        using var first = cache.Load(dataset.Clips[0].Caption);
        using var second = cache.Load(dataset.Clips[1].Caption);
        using var actual = torch.stack([first.AudioFeatures, second.AudioFeatures]);
        using var expectedRows = expected.narrow(0, 0, 2);
        TensorAssert.Close(expectedRows, actual, _golden.Tolerance("features.audio"), "cached dataset features.audio");
    }

    // Ctrl+C during a run: passes already encoded stay cached, so the next run encodes only the rest.
    [Fact]
    public void EncodeMissing_CancelledAfterTheFirstPass_KeepsThatPassCached()
    {
        var prompts = _golden.Prompts();
        var cache = NewCache();
        using var cts = new CancellationTokenSource();
        var cancelAfterFirstPass = new CancelOn(p => p.Warning is null && p.Completed >= 1, cts);

        Assert.ThrowsAny<OperationCanceledException>(() => cache.EncodeMissing([prompts[0], prompts[1]],
            () => TextEncoder.Open(_golden.PathOf("gemma"), _golden.PathOf("tiny_text_heads.safetensors"), Options with { CaptionsPerPass = 1 }),
            cancelAfterFirstPass, cts.Token));

        Assert.Equal([prompts[1]], cache.Missing([prompts[0], prompts[1]]));
    }

    private sealed class CancelOn(Func<TextEncodingProgress, bool> when, CancellationTokenSource cts) : IProgress<TextEncodingProgress>
    {
        public void Report(TextEncodingProgress value)
        {
            if (when(value)) cts.Cancel();
        }
    }

    [Fact]
    public void EncodeMissing_Cancelled_KeepsTheCacheUsableAndLoadOfAMissingCaptionNamesTheFile()
    {
        var cache = NewCache();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => cache.EncodeMissing(["rain on a roof"],
            () => throw new InvalidOperationException("a cancelled run must not open Gemma"), cancellationToken: cts.Token));
        var ex = Assert.Throws<KeyNotFoundException>(() => cache.Load("rain on a roof"));
        Assert.Contains(cache.PathFor("rain on a roof"), ex.Message);
    }

    [Fact]
    public void GetOrEncode_EncodesOnlyTheMissingCaptions()
    {
        var prompts = _golden.Prompts();
        var cache = NewCache();
        DisposeAll(cache.GetOrEncode([prompts[0]], () => TextEncoder.Open(_golden.PathOf("gemma"), _golden.PathOf("tiny_text_heads.safetensors"), Options)));

        Assert.Equal([prompts[1]], cache.Missing([prompts[0], prompts[1], prompts[1]]));
    }

    [Fact]
    public void Key_DependsOnExactCaptionTextAndModelIdentity()
    {
        var cache = NewCache();
        var other = new CaptionEmbeddingCache(cache.Folder, Identity(Options with { MaxLength = 64 }), 64);

        Assert.NotEqual(cache.PathFor("a dog barks"), cache.PathFor("a dog barks "));
        Assert.NotEqual(cache.PathFor("a dog barks"), cache.PathFor("A dog barks"));
        Assert.NotEqual(cache.ModelIdentity, other.ModelIdentity);
        Assert.NotEqual(cache.ModelIdentity, Identity(Options with { DType = torch.ScalarType.BFloat16 }));
        Assert.Equal(cache.ModelIdentity, Identity(Options));
    }

    [Fact]
    public void Identity_ChangesWhenGemmaWeightsChange()
    {
        var copy = Directory.CreateDirectory(Path.Combine(_temp.FullName, "gemma")).FullName;
        foreach (var f in Directory.GetFiles(_golden.PathOf("gemma")))
            File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        string before = TextModelIdentity.Compute(copy, _golden.PathOf("tiny_text_heads.safetensors"), Options);
        using (var stream = new FileStream(Path.Combine(copy, "model.safetensors"), FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length - 3; // inside the data section, last sampled window
            stream.WriteByte(0x5A);
        }

        Assert.NotEqual(before, TextModelIdentity.Compute(copy, _golden.PathOf("tiny_text_heads.safetensors"), Options));
    }

    [Fact]
    public void TryLoad_CorruptOrForeignFile_IsAMiss()
    {
        var cache = NewCache();
        File.WriteAllText(cache.PathFor("rain"), "not a safetensors file");

        Assert.Null(cache.TryLoad("rain"));
        Assert.Null(cache.TryLoad("never stored"));
    }
}
