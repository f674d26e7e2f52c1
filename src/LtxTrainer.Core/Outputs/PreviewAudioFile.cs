using LtxTrainer.Core.Audio;
using NAudio.Wave;

namespace LtxTrainer.Core.Outputs;

/// <summary>
/// Writes generated audio the way ltx-trainer's <c>validation_runner.py::_save_audio</c> does: 16-bit PCM
/// (clamp to [-1, 1], ×32767, truncate), all channels, at the vocoder's rate. Atomic: a temporary file in the
/// same folder, then a rename, so a cancelled write never leaves a partial file under the final name.
/// </summary>
public static class PreviewAudioFile
{
    public static void Write(string path, IReadOnlyList<float[]> channels, int sampleRate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var pcm = Pcm16.FromChannels(channels);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var writer = new WaveFileWriter(temp, new WaveFormat(sampleRate, 16, channels.Count)))
            {
                var bytes = new byte[pcm.Length * 2];
                Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
                writer.Write(bytes, 0, bytes.Length);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
