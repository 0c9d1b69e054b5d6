namespace CustomerValue.Models.Simulation;

/// <summary>
/// Parameters of the BG/NBD + Gamma-Gamma generative model of a customer base.
/// </summary>
/// <param name="R">Shape r of the Gamma heterogeneity of the purchase rate λ.</param>
/// <param name="Alpha">Rate α of that Gamma (a scale of time: E[λ] = r/α per time unit).</param>
/// <param name="A">Beta parameter a of the drop-out probability p.</param>
/// <param name="B">Beta parameter b of the drop-out probability p.</param>
/// <param name="P">Shape p of the Gamma distribution of one transaction value given ν.</param>
/// <param name="Q">Shape q of the Gamma heterogeneity of ν across customers.</param>
/// <param name="V">Rate γ (written v, as in lifetimes) of the Gamma heterogeneity of ν.</param>
/// <remarks>
/// Model (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way", §3; and
/// "RFM and CLV", §4): λ ~ Gamma(r, α), p ~ Beta(a, b), purchases form a Poisson process of rate λ,
/// after each repeat purchase the customer drops out with probability p; ν ~ Gamma(q, γ), each
/// transaction value z ~ Gamma(p, ν), so E[Z] = p γ / (q − 1).
/// </remarks>
public sealed record GenerativeParameters(double R, double Alpha, double A, double B, double P, double Q, double V)
{
    /// <summary>
    /// A shop with time measured in DAYS: the CDNOW estimates (weekly time, dollars) with α rescaled to days
    /// (α = 4.414 × 7 = 30.898, i.e. E[λ] ≈ 0.0079 purchases a day, one every ~4 months for the average
    /// customer) and γ doubled so the mean order value is p γ / (q − 1) = 6.25 × 30.88 / 2.74 ≈ 70.4
    /// (currency units). Drop-out: a = 0.79, b = 2.43 (mean p ≈ 0.25).
    /// </summary>
    public static GenerativeParameters ShopInDays { get; } = new(0.2426, 4.414 * 7, 0.79, 2.43, 6.25, 3.74, 30.88);

    /// <summary>The CDNOW maximum-likelihood estimates in their published time unit (weeks, dollars).</summary>
    public static GenerativeParameters CdnowWeekly { get; } = new(0.2426, 4.414, 0.7929, 2.426, 6.25, 3.74, 15.44);

    /// <summary>Mean value of one transaction, E[Z] = p γ / (q − 1) (infinite when q ≤ 1).</summary>
    public double MeanTransactionValue => Q > 1 ? P * V / (Q - 1) : double.PositiveInfinity;

    /// <summary>Throws when a parameter is not a finite positive number.</summary>
    public void Validate()
    {
        Check(R, nameof(R));
        Check(Alpha, nameof(Alpha));
        Check(A, nameof(A));
        Check(B, nameof(B));
        Check(P, nameof(P));
        Check(Q, nameof(Q));
        Check(V, nameof(V));
    }

    private static void Check(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Generative parameter {name} must be a finite positive number.");
        }
    }
}
