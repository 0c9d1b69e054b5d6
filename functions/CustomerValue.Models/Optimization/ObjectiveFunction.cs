namespace CustomerValue.Models.Optimization;

/// <summary>
/// An objective to minimise: returns f(x) and writes ∇f(x) into <paramref name="gradient"/>.
/// Return NaN or +∞ where the objective is undefined; the minimisers then step back.
/// </summary>
public delegate double ObjectiveFunction(ReadOnlySpan<double> x, Span<double> gradient);
