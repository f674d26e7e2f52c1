using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Tests.Audio;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Model.AudioVae;

/// <summary>
/// The trainer's preprocessing end to end: a mono or 5.1 clip goes through the dataset's stereo conversion
/// (<see cref="StereoDownmix"/>) and the production encoder loaded from the tiny checkpoint, and must give
/// the latents the official <c>_encode_audio</c> returned.
/// </summary>
public sealed class TrainerChannelGoldenTests(ITestOutputHelper output) : IDisposable
{
    private readonly AudioGolden _golden = new() { Report = output.WriteLine };

    [Theory]
    [InlineData("trainer_mono")]
    [InlineData("trainer_51")]
    public void DownmixedClipEncodesToTheTrainerLatents(string caseName)
    {
        using var source = _golden.OpenCheckpoint();
        using var encoder = AudioVaeEncoder.Load(source);
        using var scope = torch.NewDisposeScope();
        var waveform = _golden.Tensor(caseName + ".waveform"); // [channels, samples]
        int channels = (int)waveform.shape[0], frames = (int)waveform.shape[1];
        var returned = _golden.Case(caseName).GetProperty("returned");
        // The case states the clip's duration rather than its rate; the rate follows from the sample count.
        int sampleRate = (int)Math.Round(frames / returned.GetProperty("duration").GetDouble());

        // Decoders hand the dataset interleaved frames; that is the form StereoDownmix consumes.
        var interleaved = waveform.transpose(0, 1).contiguous().data<float>().ToArray();
        var left = new float[frames];
        var right = new float[frames];
        StereoDownmix.Append(interleaved, channels, frames, left, right);

        var mel = encoder.FrontEnd.Forward([left, right], sampleRate);
        var (melAtol, melRtol) = _golden.Tolerance("fe16.log_mel", "frontend_16k");
        TensorAssert.Close(_golden.Tensor(caseName + ".encoder_input_mel"), mel, melAtol, caseName + ".encoder_input_mel", melRtol, output.WriteLine);

        var tokens = encoder.EncodeToTokens([left, right], sampleRate);
        Assert.Equal(returned.GetProperty("num_time_steps").GetInt64(), tokens.shape[1]);
        Assert.Equal(returned.GetProperty("frequency_bins").GetInt64(), encoder.Config.LatentMelBins);
        var latents = AudioPatchifier.Unpatchify(tokens, encoder.Config.ZChannels, encoder.Config.LatentMelBins).squeeze(0);
        _golden.AssertClose(caseName, caseName + ".latents", latents);
    }

    public void Dispose() => _golden.Dispose();
}
