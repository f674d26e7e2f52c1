using System.Text.Json;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Vocoder;

namespace LtxTrainer.Bench.AudioModel;

/// <summary>The LTX-2.3 checkpoint header's audio_vae and vocoder sections (docs/numerical-reference.md).</summary>
internal static class RealSizeConfigs
{
    public const string Json = """
        {
          "audio_vae": {
            "model": {"params": {"ddconfig": {"double_z": true, "mel_bins": 64, "z_channels": 8, "resolution": 256,
              "downsample_time": false, "in_channels": 2, "out_ch": 2, "ch": 128, "ch_mult": [1, 2, 4], "num_res_blocks": 2,
              "attn_resolutions": [], "dropout": 0.0, "mid_block_add_attention": false, "norm_type": "pixel",
              "causality_axis": "height"}, "sampling_rate": 16000}},
            "preprocessing": {"audio": {"sampling_rate": 16000, "max_wav_value": 32768.0, "duration": 5.12, "stereo": true,
              "causal_padding": 3}, "stft": {"filter_length": 1024, "hop_length": 160, "win_length": 1024, "causal": true},
              "mel": {"n_mel_channels": 64, "mel_fmin": 0, "mel_fmax": 8000}}
          },
          "vocoder": {
            "vocoder": {"upsample_initial_channel": 1536, "resblock": "AMP1", "upsample_rates": [5, 2, 2, 2, 2, 2],
              "resblock_kernel_sizes": [3, 7, 11], "upsample_kernel_sizes": [11, 4, 4, 4, 4, 4],
              "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]], "stereo": true, "use_tanh_at_final": false,
              "activation": "snakebeta", "use_bias_at_final": false},
            "bwe": {"upsample_initial_channel": 512, "resblock": "AMP1", "upsample_rates": [6, 5, 2, 2, 2],
              "resblock_kernel_sizes": [3, 7, 11], "upsample_kernel_sizes": [12, 11, 4, 4, 4],
              "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]], "stereo": true, "use_tanh_at_final": false,
              "activation": "snakebeta", "use_bias_at_final": false, "apply_final_activation": false,
              "input_sampling_rate": 16000, "output_sampling_rate": 48000, "hop_length": 80, "n_fft": 512, "win_size": 512,
              "num_mels": 64}
          }
        }
        """;

    /// <summary>LTX-2 (19B) header's flat vocoder section (docs/numerical-reference.md "Vocoder").</summary>
    public const string Ltx2VocoderJson = """
        {"upsample_initial_channel": 1024, "upsample_rates": [6, 5, 2, 2, 2], "upsample_kernel_sizes": [16, 15, 8, 4, 4],
         "resblock": "1", "resblock_kernel_sizes": [3, 7, 11], "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
         "stereo": true}
        """;

    public static VocoderConfig Ltx2Vocoder()
    {
        using var doc = JsonDocument.Parse(Ltx2VocoderJson);
        return VocoderConfig.FromJson(doc.RootElement);
    }

    public static AudioVaeConfig AudioVae()
    {
        using var doc = JsonDocument.Parse(Json);
        return AudioVaeConfig.FromJson(doc.RootElement.GetProperty("audio_vae"));
    }

    public static VocoderConfig Vocoder()
    {
        using var doc = JsonDocument.Parse(Json);
        return VocoderConfig.FromJson(doc.RootElement.GetProperty("vocoder"));
    }
}
