using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Tests.Ingest;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Model;

public sealed class AudioModelSetTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("ltx-modelset-");
    private readonly string _unified;

    public AudioModelSetTests() => _unified = TinyPreviewModel.Write(GoldenRoot.Path, Path.Combine(_temp.FullName, "tiny.safetensors"));

    public void Dispose() => _temp.Delete(true);

    [Fact]
    public void Loads_the_parts_asked_for_reporting_each_and_releases_on_request()
    {
        var reports = new List<ModelLoadProgress>();
        using var set = AudioModelSet.Load(new AudioModelSetOptions { CheckpointPath = _unified, Parts = AudioModelParts.VaeEncoder | AudioModelParts.Vocoder },
            new SyncProgress<ModelLoadProgress>(reports.Add));

        Assert.Equal(AudioModelParts.VaeEncoder | AudioModelParts.Vocoder, set.Loaded);
        Assert.Equal([(AudioModelParts.VaeEncoder, 0), (AudioModelParts.Vocoder, 1), (AudioModelParts.Vocoder, 2)],
            reports.Select(r => (r.Part, r.Completed)));
        Assert.All(reports, r => Assert.Equal(2, r.Total));
        Assert.Contains("Transformer", Assert.Throws<InvalidOperationException>(() => set.Transformer).Message);
        Assert.Equal(32, set.VaeEncoder.Config.TokenWidth);

        set.Release(AudioModelParts.VaeEncoder);
        Assert.Equal(AudioModelParts.Vocoder, set.Loaded);
        Assert.Throws<InvalidOperationException>(() => set.VaeEncoder);
    }

    [Fact]
    public void Loads_everything_in_the_dtype_asked_for_with_the_vae_in_float32()
    {
        using var set = AudioModelSet.Load(new AudioModelSetOptions { CheckpointPath = _unified, DType = TorchSharp.torch.ScalarType.BFloat16 });
        Assert.Equal(AudioModelParts.All, set.Loaded);
        Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, set.Transformer.DType);
        Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, set.Connector.DType);
        Assert.Equal("2.3.0", set.ModelVersion);
        Assert.Equal(set.VaeEncoder.Config.TokenWidth, set.Config.AudioInChannels);
    }

    [Fact]
    public void A_vae_whose_tokens_do_not_fit_the_transformer_is_refused_naming_both_widths()
    {
        var transformer = Path.Combine(GoldenRoot.Path, "transformer", "tiny_ltx23_audio.safetensors");   // 16-wide tokens
        var audio = Path.Combine(GoldenRoot.Path, "audio", "tiny_audio.safetensors");                      // 32-wide tokens
        var e = Assert.Throws<CheckpointFormatException>(() => AudioModelSet.Load(new AudioModelSetOptions
        {
            CheckpointPath = transformer, AudioCheckpointPath = audio, Parts = AudioModelParts.Transformer | AudioModelParts.VaeDecoder,
        }));
        Assert.Contains("width 32", e.Message);
        Assert.Contains("takes 16", e.Message);
        Assert.Equal(audio, e.File);
    }

    [Fact]
    public void Cancelling_stops_between_parts()
    {
        using var cts = new CancellationTokenSource();
        var seen = new List<AudioModelParts>();
        Assert.ThrowsAny<OperationCanceledException>(() => AudioModelSet.Load(new AudioModelSetOptions { CheckpointPath = _unified },
            new SyncProgress<ModelLoadProgress>(p => { seen.Add(p.Part); cts.Cancel(); }), cts.Token));
        Assert.Equal([AudioModelParts.Transformer], seen);
    }
}
