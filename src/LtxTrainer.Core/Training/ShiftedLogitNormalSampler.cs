using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// ltx-trainer's <c>shifted_logit_normal</c> sampler (ltx_trainer/timestep_samplers.py): n ~ N(μ(T), std²), s =
/// sigmoid(n),
/// stretched between the 0.5% and 99.9% percentiles, reflected at eps, clamped to [0, 1]; with
/// probability <see cref="UniformProb"/> replaced by U[eps, 1). Random draws are consumed in the
/// official order randn(B), rand(B) (uniform), rand(B) (selector).
/// </summary>
public sealed class ShiftedLogitNormalSampler(double std = 1.0, double eps = 1e-3, double uniformProb = 0.1) : ITimestepSampler
{
    public double Std { get; } = std;
    public double Eps { get; } = eps;
    public double UniformProb { get; } = uniformProb;

    /// <summary>μ(T) = 0.95 + (2.05 − 0.95)·(T − 1024)/3072, in the official slope/intercept form.</summary>
    public static double Shift(long seqLength)
    {
        const double minShift = 0.95, maxShift = 2.05;
        const int minTokens = 1024, maxTokens = 4096;
        double m = (maxShift - minShift) / (maxTokens - minTokens);
        double b = minShift - m * minTokens;
        return m * seqLength + b;
    }

    public Tensor Sample(int batch, long seqLength, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var normal = randn(new long[] { batch }, generator: generator);
        var uniform = rand(new long[] { batch }, generator: generator);
        var prob = rand(new long[] { batch }, generator: generator);
        return FromDraws(normal, uniform, prob, seqLength).MoveToOuterDisposeScope();
    }

    /// <summary>The sampler with its three draws given (standard normal, U[0,1), U[0,1)), each [B].</summary>
    public Tensor FromDraws(Tensor normal, Tensor uniform, Tensor prob, long seqLength)
    {
        using var scope = NewDisposeScope();
        double mu = Shift(seqLength);
        var logitNormal = (normal * Std + mu).sigmoid();
        var hi = tensor((float)(mu + 3.0902 * Std)).sigmoid();
        var lo = tensor((float)(mu + -2.5758 * Std)).sigmoid();
        var raw = (logitNormal - lo) / (hi - lo);
        var stretched = where(raw >= Eps, raw, 2 * Eps - raw).clamp(0, 1);
        var fallback = (1 - Eps) * uniform + Eps;
        return where(prob > UniformProb, stretched, fallback).MoveToOuterDisposeScope();
    }
}
