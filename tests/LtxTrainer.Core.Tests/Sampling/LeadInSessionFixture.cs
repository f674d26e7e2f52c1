using LtxTrainer.Core.Model;
using LtxTrainer.Core.Sampling;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Sampling;

/// <summary>
/// One generator session on the tiny unified checkpoint made from the golden sets (see <see cref="TinyPreviewModel"/>),
/// opened once per test class with the test prompt and the official negative prompt encoded up front.
/// </summary>
public sealed class LeadInSessionFixture : IDisposable
{
    public const string Prompt = "a soft piano phrase";

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("ltx-leadin-");

    public LeadInSessionFixture()
    {
        CheckpointPath = TinyPreviewModel.Write(GoldenRoot.Path, Path.Combine(_temp.FullName, "tiny_unified.safetensors"));
        LoraPath = TinyPreviewModel.LoraPath(GoldenRoot.Path);
        Generator = LeadInGenerator.Open(new LeadInSessionOptions
        {
            Models = new AudioModelSetOptions { CheckpointPath = CheckpointPath },
            TextEncoderPath = TinyPreviewModel.GemmaFolder(GoldenRoot.Path),
            TextEncoder = new TextEncoderOptions { MaxLength = TinyPreviewModel.TextMaxLength },
            CaptionCacheFolder = Path.Combine(_temp.FullName, "captions"),
        }, [Prompt, LeadInRequest.OfficialNegativePrompt]);
    }

    public string CheckpointPath { get; }

    public string LoraPath { get; }

    public LeadInGenerator Generator { get; }

    public string Folder => _temp.FullName;

    /// <summary>1.5 s of a stereo two-tone signal at 44.1 kHz (left and right differ).</summary>
    public static float[][] Tones(double seconds = 1.5, int rate = 44100, float amplitude = 0.5f)
    {
        int n = (int)(seconds * rate);
        var left = new float[n];
        var right = new float[n];
        for (int i = 0; i < n; i++)
        {
            left[i] = amplitude * MathF.Sin(2 * MathF.PI * 220f * i / rate);
            right[i] = amplitude * MathF.Sin(2 * MathF.PI * 330f * i / rate);
        }
        return [left, right];
    }

    /// <summary>The last 0.5 s of <see cref="Tones"/> as the closing clip.</summary>
    public static ClosingClip Clip(double seconds = 0.5) => ClosingClip.FromSamples(Tones(), 44100, seconds, "tones");

    /// <summary>A short, cheap request the tiny model can run: 1 s (25 tokens), 4 steps, STG on block 1 of 2.</summary>
    public static LeadInRequest Request(long seed = 7) => new()
    {
        Clip = Clip(),
        Prompt = Prompt,
        DurationSeconds = 1.0,
        Steps = 4,
        StgBlocks = [1],
        Seed = seed,
    };

    public void Dispose()
    {
        Generator.Dispose();
        _temp.Delete(true);
    }
}
