using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Model;
using LtxTrainer.Core.Sampling;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Tests.Ingest;
using LtxTrainer.Core.Text;
using LtxTrainer.Core.Training;
using LtxTrainer.TestData;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

/// <summary>
/// The whole job on the tiny unified checkpoint made from the golden sets (<see cref="TinyPreviewModel"/>) and the
/// golden Gemma: dataset from a zip of tones, caption and latent caches, a few steps, every output, the folder
/// rules, and previews that are exactly what the inference generator makes from the written LoRA.
/// </summary>
public sealed class AudioExtendTrainerTests(ITestOutputHelper output) : IDisposable
{
    private const int Steps = 4;
    private readonly string _root = Directory.CreateTempSubdirectory("ltxt-run-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (TrainingRunRequest Request, string Closing) Setup()
    {
        var model = TinyPreviewModel.Write(GoldenRoot.Path, Path.Combine(_root, "tiny_unified.safetensors"));
        var zip = new ZipBuilder();
        for (int i = 0; i < 3; i++)
        {
            var left = WavBytes.Sine(220 * (i + 1), 2.0, 16000);
            var interleaved = new float[left.Length * 2];
            for (int n = 0; n < left.Length; n++) interleaved[2 * n] = interleaved[2 * n + 1] = left[n];
            zip.Bytes($"tone{i}.wav", WavBytes.Float32(interleaved, 16000, 2)).Text($"tone{i}.txt", $"a tone at pitch {i}");
        }
        var archive = zip.Save(Path.Combine(_root, "tones.zip"));
        var closing = Path.Combine(_root, "closing.wav");
        var tone = WavBytes.Sine(330, 1.5, 16000);
        File.WriteAllBytes(closing, WavBytes.Float32(tone.SelectMany(v => new[] { v, v }).ToArray(), 16000, 2));

        var config = new AudioSuffixConfig
        {
            TrainingDataUrl = archive, Rank = 8, NumberOfSteps = Steps, LearningRate = 1e-3, AudioDurationSeconds = 2.0, ConditioningSeconds = 0.5,
            Validation = [new ValidationEntry("a tone at pitch 1", closing)], ValidationNegativePrompt = "noise", DebugDataset = true,
        };
        var dataset = new AudioSuffixDatasetBuilder(new DatasetBuildOptions(null))
            .BuildAsync(new Uri(archive), Path.Combine(_root, "dataset"), TrainingRequestResolver.DatasetSettingsFor(config)).GetAwaiter().GetResult();
        var request = new TrainingRunRequest
        {
            Config = config, Dataset = dataset, ModelPath = model, TextEncoderPath = TinyPreviewModel.GemmaFolder(GoldenRoot.Path),
            OutputFolder = Path.Combine(_root, "run"), TextEncoder = new TextEncoderOptions { MaxLength = TinyPreviewModel.TextMaxLength },
            Options = new TrainingRunOptions { Seed = 11, CheckpointInterval = 2, ValidationInterval = 2, LoraDType = ScalarType.Float32 }, PreviewSteps = 2,
        };
        return (request, closing);
    }

    [Fact]
    public void A_run_writes_every_output_reuses_its_caches_and_previews_like_the_inference_generator()
    {
        var (request, closing) = Setup();
        var messages = new List<string>();
        var log = new SyncProgress<string>(messages.Add);
        var result = AudioExtendTrainer.Run(request, null, log);

        Assert.True(result.Completed);
        Assert.Equal(Steps, result.StepsDone);
        Assert.Equal(100, result.BillableUnits);
        Assert.True(result.PeakMemoryBytes > 0);
        Assert.Equal(Steps, MetricsLog.Read(result.MetricsFile).Count);
        Assert.Equal([2, 4], TrainingCheckpoint.List(Path.Combine(result.OutputFolder, "checkpoints")).Select(c => c.Step));
        Assert.True(File.Exists(result.DebugDatasetFile));
        // A preview at the interval (step 2 of 4; the end has its own), with its spectrogram.
        Assert.Equal(["step_000002.png", "step_000002.wav"],
            Directory.GetFiles(Path.Combine(result.OutputFolder, "previews")).Select(Path.GetFileName).Order());
        foreach (var png in new[] { result.LossPlotFile!, result.SpectrogramFile! })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png).Take(4));

        // The LoRA: official keys, the requested dtype, training metadata in the header.
        using (var lora = SafetensorsFile.Open(result.LoraFile!))
        {
            Assert.Contains("diffusion_model.transformer_blocks.0.audio_attn1.to_q.lora_A.weight", lora.Names);
            Assert.Contains("diffusion_model.transformer_blocks.1.audio_ff.net.2.lora_B.weight", lora.Names);
            Assert.Equal(2 * 2 * 10, lora.Names.Count);
            Assert.Equal(TrainingPlan.TrainingType, lora.Metadata["ltxtrainer.training_type"]);
            Assert.Equal("8", lora.Metadata["ltxtrainer.rank"]);
            Assert.Equal("12", lora.Metadata["ltxtrainer.suffix_tokens"]);     // round(25 · 0.5 s), half to even
        }
        using (var json = JsonDocument.Parse(File.ReadAllText(result.ConfigFile!)))
        {
            var root = json.RootElement;
            Assert.Equal("audio-extend-suffix", root.GetProperty("training_type").GetString());
            Assert.Equal(8, root.GetProperty("rank").GetInt32());
            Assert.Equal(0.5, root.GetProperty("conditioning_seconds").GetDouble());
            Assert.Equal(3, root.GetProperty("dataset").GetProperty("clips").GetInt32());
            Assert.Equal(64, root.GetProperty("base_model").GetProperty("header_sha256").GetString()!.Length);
        }

        // The preview is what Invoke-LtxLeadInPreview's generator makes from the written LoRA with the same request:
        // the suffix is the closing seconds encoded on their own, through the same code.
        var clip = ClosingClip.FromFile(closing, request.Config.ConditioningSeconds);
        using (var generator = LeadInGenerator.Open(new LeadInSessionOptions
               {
                   Models = new AudioModelSetOptions { CheckpointPath = request.ModelPath },
                   TextEncoderPath = request.TextEncoderPath, TextEncoder = request.TextEncoder,
                   CaptionCacheFolder = Path.Combine(result.OutputFolder, "cache", "captions"),
               }, ["a tone at pitch 1", "noise"]))
        {
            var inference = generator.Generate(new LeadInRequest
            {
                Clip = clip, Prompt = "a tone at pitch 1", NegativePrompt = "noise", DurationSeconds = 2.0, FrameRate = 24, StgScale = 1.0,
                StgBlocks = [LeadInRequest.DefaultStgBlock(2)], Steps = 2, Seed = 11, Loras = [new LoraReference(result.LoraFile!)],
                OutputPath = Path.Combine(_root, "inference.wav"),
            });
            Assert.Equal(AudioLatentTimingSuffix(request.Config.ConditioningSeconds), inference.SuffixTokens);
            Assert.Equal(File.ReadAllBytes(inference.OutputPath!), File.ReadAllBytes(result.AudioFile!));
        }

        // A second run into the same folder is refused; with Force it reuses every cached latent and caption.
        Assert.Throws<TrainingOutputExistsException>(() => AudioExtendTrainer.Run(request));
        messages.Clear();
        var progress = new List<TrainingProgress>();
        var again = AudioExtendTrainer.Run(request with { Options = request.Options with { Force = true } }, new SyncProgress<TrainingProgress>(progress.Add), log);
        Assert.True(again.Completed);
        Assert.Contains(messages, m => m.StartsWith("Captions: 0 encoded", StringComparison.Ordinal));
        var audio = progress.Where(p => p.Phase == TrainingPhase.EncodingAudio).ToList();
        Assert.Equal(3, audio.Count);
        Assert.All(audio, p => Assert.EndsWith("(cached)", p.Message));
        Assert.Equal(File.ReadAllBytes(result.LoraFile!), File.ReadAllBytes(again.LoraFile!));   // same seed, same bytes
        foreach (var line in messages) output.WriteLine(line);
    }

    private static long AudioLatentTimingSuffix(double seconds) => Core.Audio.AudioLatentTiming.EncodedStepsForSeconds(seconds);
}
