namespace LtxTrainer.Core.Audio;

/// <summary>
/// Converts interleaved frames of any channel count to the model's stereo input, as the official
/// trainer preprocessing does (<c>_encode_audio</c> in packages/ltx-trainer/scripts/process_videos.py): mono is
/// duplicated; 5.1 [L, R, C, LFE, Ls, Rs] becomes
/// L' = (L + k·C + k·Ls)/(1 + 2k), R' = (R + k·C + k·Rs)/(1 + 2k) with k = 0.707 and the LFE dropped.
/// 7.1 is not in the reference; we extend the same rule with the WAVE channel order
/// [L, R, C, LFE, Lb, Rb, Ls, Rs]: each side gets its front, the centre and both its surrounds at k,
/// normalised by 1 + 3k so a full-scale signal in every channel stays full-scale. Every other layout
/// with more than two channels is averaged and the mean duplicated.
/// </summary>
public static class StereoDownmix
{
    private const float K = 0.707f;

    /// <summary>Appends <paramref name="frames"/> frames of <paramref name="interleaved"/> to left/right.</summary>
    public static void Append(ReadOnlySpan<float> interleaved, int channels, int frames, Span<float> left, Span<float> right)
    {
        switch (channels)
        {
            case 1:
                interleaved[..frames].CopyTo(left);
                interleaved[..frames].CopyTo(right);
                break;
            case 2:
                for (int f = 0; f < frames; f++)
                {
                    left[f] = interleaved[2 * f];
                    right[f] = interleaved[2 * f + 1];
                }
                break;
            case 6:
                const float n6 = 2.414f; // 1 + 2k, the constant the reference divides by
                for (int f = 0, i = 0; f < frames; f++, i += 6)
                {
                    float c = interleaved[i + 2];
                    left[f] = interleaved[i] / n6 + K / n6 * (c + interleaved[i + 4]);
                    right[f] = interleaved[i + 1] / n6 + K / n6 * (c + interleaved[i + 5]);
                }
                break;
            case 8:
                const float n8 = 3.121f; // 1 + 3k
                for (int f = 0, i = 0; f < frames; f++, i += 8)
                {
                    float c = interleaved[i + 2];
                    left[f] = interleaved[i] / n8 + K / n8 * (c + interleaved[i + 4] + interleaved[i + 6]);
                    right[f] = interleaved[i + 1] / n8 + K / n8 * (c + interleaved[i + 5] + interleaved[i + 7]);
                }
                break;
            default:
                for (int f = 0, i = 0; f < frames; f++, i += channels)
                {
                    float sum = 0f;
                    for (int c = 0; c < channels; c++) sum += interleaved[i + c];
                    left[f] = right[f] = sum / channels;
                }
                break;
        }
    }
}
