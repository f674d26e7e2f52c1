using NVorbis;

namespace LtxTrainer.Core.Audio;

/// <summary>Ogg Vorbis through the fully managed NVorbis decoder.</summary>
public sealed class VorbisDecoder(string file)
    : FloatArrayDecoder<VorbisReader>(file, "Ogg Vorbis", path => new VorbisReader(path), reader => (reader.SampleRate, reader.Channels))
{
    protected override int ReadSamples(float[] buffer, int count) => Reader.ReadSamples(buffer, 0, count);
}
