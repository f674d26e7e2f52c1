namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// <c>torch.linspace(start, end, n)</c> in float32 as torch's CPU kernel fills it: the first half as
/// start + step·i, the second half as end − step·(n−1−i). Upstream schedules and RoPE grids are built
/// with it and the golden data depends on that rounding, so it is spelled out rather than taken from
/// whatever linspace the loaded libtorch implements.
/// </summary>
public static class Float32Linspace
{
    public static float[] Values(float start, float end, int n)
    {
        if (n <= 0) return [];
        if (n == 1) return [start];
        float step = (end - start) / (n - 1);
        var v = new float[n];
        int half = n / 2;
        for (int i = 0; i < n; i++)
            v[i] = i < half ? start + step * i : end - step * (n - 1 - i);
        return v;
    }
}
