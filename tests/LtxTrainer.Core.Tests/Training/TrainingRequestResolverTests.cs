using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Training;

namespace LtxTrainer.Core.Tests.Training;

public sealed class TrainingRequestResolverTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltxt-resolve-").FullName;

    public TrainingRequestResolverTests() => File.WriteAllBytes(Path.Combine(_dir, "clips.zip"), [0x50, 0x4b, 0x05, 0x06]);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Zip => Path.Combine(_dir, "clips.zip");

    private AudioSuffixDataset Dataset(double duration, double conditioning) => new(DatasetManifest.CurrentFormatVersion,
        new DatasetSettings(duration, conditioning), Zip, DateTimeOffset.UnixEpoch, SuffixCarving.For(duration, conditioning),
        [new ClipRecord("a", "a.wav", null, "", "clips/a.wav", "clips/a.txt", 16000, 2, duration, duration, (long)(duration * 16000),
            duration - conditioning, conditioning, 1, 1, 2, 0.5, 1, null)], [], []) { WorkFolder = _dir };

    [Fact]
    public void An_explicit_field_beats_the_piped_config_which_beats_the_default()
    {
        var piped = new AudioSuffixConfig { TrainingDataUrl = Zip, Rank = 64, NumberOfSteps = 300 };
        var resolved = TrainingRequestResolver.Resolve(piped, new Dictionary<string, object?> { ["NumberOfSteps"] = 700 }, null, _dir);
        Assert.Equal(700, resolved.NumberOfSteps);                                    // parameter
        Assert.Equal(64, resolved.Rank);                                              // piped config
        Assert.Equal(AudioSuffixConfig.DefaultLearningRate, resolved.LearningRate);  // default
        var snake = TrainingRequestResolver.Resolve(null, new Dictionary<string, object?> { ["training_data_url"] = "clips.zip", ["learning_rate"] = 1e-4 }, null, _dir);
        Assert.Equal(Zip, snake.TrainingDataUrl);
        Assert.Equal(1e-4, snake.LearningRate);
    }

    [Fact]
    public void A_piped_dataset_supplies_the_archive_and_its_seconds()
    {
        var resolved = TrainingRequestResolver.Resolve(null, new Dictionary<string, object?>(), Dataset(4.0, 0.5), _dir);
        Assert.Equal(Zip, resolved.TrainingDataUrl);
        Assert.Equal(4.0, resolved.AudioDurationSeconds);
        Assert.Equal(0.5, resolved.ConditioningSeconds);
    }

    [Fact]
    public void A_dataset_carved_for_other_seconds_is_refused()
    {
        var config = new AudioSuffixConfig { TrainingDataUrl = Zip, AudioDurationSeconds = 5.0, ConditioningSeconds = 1.0 };
        var e = Assert.Throws<ArgumentException>(() => TrainingRequestResolver.Resolve(config, new Dictionary<string, object?>(), Dataset(4.0, 0.5), _dir));
        Assert.Equal("Dataset", e.ParamName);
        Assert.Contains("4 s clips with a 0.5 s suffix", e.Message);
    }

    [Fact]
    public void A_request_the_contract_refuses_fails_before_any_work_naming_the_field()
    {
        var e = Assert.Throws<InvalidRequestException>(() =>
            TrainingRequestResolver.Resolve(null, new Dictionary<string, object?> { ["TrainingDataUrl"] = Zip, ["Rank"] = 7 }, null, _dir));
        Assert.Contains(e.Errors, x => x.Field == RequestFields.Rank);
    }
}
