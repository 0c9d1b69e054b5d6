namespace CustomerValue.Models.Simulation;

/// <summary>
/// One simulated customer: born (first purchase) at <paramref name="BirthTime"/>; <paramref name="Purchases"/>
/// holds every purchase in time order, the first one at <paramref name="BirthTime"/>.
/// </summary>
/// <param name="Index">Zero-based customer index in the simulated base.</param>
/// <param name="BirthTime">Time of the first purchase, in [0, observation end].</param>
/// <param name="Purchases">All purchases (first and repeat), within [BirthTime, observation end].</param>
/// <param name="PurchaseRate">The customer's latent purchase rate λ (per time unit).</param>
/// <param name="DropoutProbability">The customer's latent drop-out probability p.</param>
/// <param name="DropoutTime">When the customer became inactive, or +∞ if still active at the end of the window.</param>
public sealed record SimulatedCustomer(
    int Index,
    double BirthTime,
    IReadOnlyList<SimulatedPurchase> Purchases,
    double PurchaseRate,
    double DropoutProbability,
    double DropoutTime)
{
    /// <summary>Number of repeat purchases (purchases after the first).</summary>
    public int RepeatPurchases => Purchases.Count - 1;

    /// <summary>Whether the customer was still active at the end of the observation window.</summary>
    public bool IsAlive => double.IsPositiveInfinity(DropoutTime);
}
