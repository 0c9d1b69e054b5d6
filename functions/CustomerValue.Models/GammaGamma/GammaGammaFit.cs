using CustomerValue.Models.Fitting;

namespace CustomerValue.Models.GammaGamma;

/// <summary>A fitted Gamma-Gamma spend model: estimates, standard errors, diagnostics and spend predictions.</summary>
public sealed class GammaGammaFit : ModelFit
{
    internal GammaGammaFit(MaximumLikelihoodResult result, int observations, int uniqueRows, double penalizer)
        : base(result, ["p", "q", "v"], observations, uniqueRows, penalizer)
    {
        Parameters = new GammaGammaParameters(result.Theta[0], result.Theta[1], result.Theta[2]);
        StandardErrors = new GammaGammaParameters(result.StandardErrors[0], result.StandardErrors[1], result.StandardErrors[2]);
    }

    /// <summary>Estimates p, q, γ (v).</summary>
    public GammaGammaParameters Parameters { get; }

    /// <summary>Standard errors of p, q, γ (NaN when unavailable).</summary>
    public GammaGammaParameters StandardErrors { get; }

    /// <inheritdoc cref="GammaGammaParameters.ExpectedAverageSpend"/>
    public double ExpectedAverageSpend(double x, double m) => Parameters.ExpectedAverageSpend(x, m);

    /// <inheritdoc cref="GammaGammaParameters.MeanTransactionValue"/>
    public double MeanTransactionValue => Parameters.MeanTransactionValue;
}
