namespace CustomerValue.Models.SpecialFunctions;

/// <summary>Small elementary helpers .NET lacks.</summary>
public static class Elementary
{
    /// <summary>e^x − 1, accurate to a few ulps also for |x| ≪ 1 (Taylor series below 1e-5, where e^x − 1 would cancel).</summary>
    public static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x * (1 + x * (0.5 + x / 6)) : Math.Exp(x) - 1;
}
