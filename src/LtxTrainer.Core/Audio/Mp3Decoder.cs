using NLayer;

namespace LtxTrainer.Core.Audio;

/// <summary>MP3 (MPEG-1/2 layer I-III) through the fully managed NLayer decoder.</summary>
public sealed class Mp3Decoder(string file)
    : FloatArrayDecoder<MpegFile>(file, "MP3", path => new MpegFile(path), mpeg => (mpeg.SampleRate, mpeg.Channels))
{
    protected override int ReadSamples(float[] buffer, int count) => Reader.ReadSamples(buffer, 0, count);
}
