using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.SpecialFunctions;

/// <summary>ln Γ(b + x) − ln Γ(b) without the cancellation of two huge log-Gammas when b is large.</summary>
public static class GammaRatio
{
    /// <summary>
    /// ln Γ(b+x) − ln Γ(b) for b &gt; 0, b + x &gt; 0. For b, b+x ≥ 10, from Stirling's formula with its remainder δ
    /// (A&amp;S 6.1.41): (b − ½) ln(1 + x/b) + x ln(b+x) − x + δ(b+x) − δ(b), whose terms are of the size of the
    /// result (relative error ~1e-15 for b up to 1e15, where the plain difference of MathNet's GammaLn values loses
    /// ln Γ(b) · 1e-16 ≈ 3e-6 at b = 1e10). Otherwise the plain difference.
    /// </summary>
    public static double Log(double b, double x)
    {
        if (x == 0)
        {
            return 0;
        }

        if (b >= 10 && b + x >= 10)
        {
            return (b - 0.5) * Elementary.Log1P(x / b) + x * Math.Log(b + x) - x
                + Hypergeometric.StirlingRemainder(b + x) - Hypergeometric.StirlingRemainder(b);
        }

        return MathFn.GammaLn(b + x) - MathFn.GammaLn(b);
    }
}
