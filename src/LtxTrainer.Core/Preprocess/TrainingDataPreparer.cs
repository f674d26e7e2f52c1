using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Model;
using LtxTrainer.Core.Text;
using LtxTrainer.Core.Training;

namespace LtxTrainer.Core.Preprocess;

/// <summary>
/// Dataset × (audio VAE, text path) → <see cref="TrainingData"/>: every clip's latent from the
/// <see cref="AudioLatentCache"/> (encoded only when missing) and one connector output per distinct caption from
/// embeddings already in the <see cref="CaptionEmbeddingCache"/> (encode them first, before the transformer is
/// loaded, so Gemma and the transformer never share memory).
/// </summary>
public static class TrainingDataPreparer
{
    public static TrainingData Prepare(AudioSuffixDataset dataset, AudioModelSet models, CaptionEmbeddingCache captions, AudioLatentCache latents,
        IProgress<TrainingProgress>? progress = null, int totalSteps = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var samples = new List<TrainingSample>();
        var distinct = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new List<string>();
        var contexts = new List<AudioTextContext>();
        try
        {
            int encoded = 0;
            for (int i = 0; i < dataset.Clips.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clip = dataset.Clips[i];
                var tokens = latents.GetOrEncode(dataset.AudioPathOf(clip), models.VaeEncoder, out var key, out bool fresh);
                if (fresh) encoded++;
                if (!index.TryGetValue(clip.Caption, out int c))
                {
                    index[clip.Caption] = c = distinct.Count;
                    distinct.Add(clip.Caption);
                }
                samples.Add(new TrainingSample(clip.Name, tokens, c));
                keys.Add(key);
                progress?.Report(new TrainingProgress(TrainingPhase.EncodingAudio, 0, totalSteps, double.NaN, double.NaN, double.NaN, double.NaN, null,
                    $"Clip {i + 1} of {dataset.Clips.Count}: {clip.Name}{(fresh ? "" : " (cached)")}", (i + 1.0) / dataset.Clips.Count));
            }
            foreach (var caption in distinct)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var embedding = captions.Load(caption);
                contexts.Add(models.Connector.Apply([embedding]));
            }
            string fingerprint = TensorFingerprint.OfText(string.Join("\n",
                keys.Prepend("latents").Append("captions:" + captions.ModelIdentity).Concat(dataset.Clips.Select(c => c.Caption))));
            return new TrainingData(samples, distinct, contexts, fingerprint);
        }
        catch
        {
            foreach (var s in samples) s.Tokens.Dispose();
            foreach (var c in contexts) c.Dispose();
            throw;
        }
    }
}
