namespace CustomerValue.Models.SpecialFunctions;

/// <summary>Small elementary helpers .NET lacks (its <c>double.LogP1</c> is ln(1 + x) and cancels for small x).</summary>
public static class Elementary
{
    /// <summary>e^x − 1, accurate to a few ulps also for |x| ≪ 1 (Taylor series below 1e-5, where e^x − 1 would cancel).</summary>
    public static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x * (1 + x * (0.5 + x / 6)) : Math.Exp(x) - 1;

    /// <summary>
    /// ln(1 + x) for x &gt; −1, accurate to a few ulps also for |x| ≪ 1: with u = 1 + x rounded, ln(u) · x / (u − 1)
    /// corrects the rounding of u (Goldberg 1991, "What every computer scientist should know about floating-point
    /// arithmetic", Theorem 4).
    /// </summary>
    public static double Log1P(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>softplus(v) = ln(1 + e^v) without overflow for large v or loss of digits for very negative v.</summary>
    public static double Softplus(double v) => v > 0 ? v + Log1P(Math.Exp(-v)) : Log1P(Math.Exp(v));

    /// <summary>ln(e^a − e^b) for a ≥ b, as a + ln(−expm1(b − a)); −∞ when a = b.</summary>
    public static double LogDiffExp(double a, double b) => a == b ? double.NegativeInfinity : a + Math.Log(-ExpM1(b - a));

    /// <summary>ln(e^a + e^b) without overflow.</summary>
    public static double LogSumExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        return a >= b ? a + Log1P(Math.Exp(b - a)) : b + Log1P(Math.Exp(a - b));
    }
}
