namespace CustomerValue.Cli.Clv;

/// <summary>Values of <c>--model</c>.</summary>
public static class ClvModelChoice
{
    /// <summary>BG/NBD (Fader, Hardie &amp; Lee 2005): r, alpha, a, b.</summary>
    public const string BgNbd = "bgnbd";

    /// <summary>Pareto/NBD (Schmittlein, Morrison &amp; Colombo 1987): r, alpha, s, beta.</summary>
    public const string ParetoNbd = "paretonbd";

    /// <summary>Gamma-Gamma spend model: p, q, v.</summary>
    public const string GammaGamma = "gammagamma";

    /// <summary>Every model the input supports.</summary>
    public const string All = "all";
}
