namespace CustomerValue.Models.Valuation;

/// <summary>A customer's predicted CLV with its spread from parameter uncertainty (see <see cref="ClvUncertainty"/>).</summary>
/// <param name="Clv">Predicted CLV at the fitted parameters.</param>
/// <param name="Lower">10th percentile of the CLV over parameter draws (lower end of the 80 % interval).</param>
/// <param name="Upper">90th percentile of the CLV over parameter draws (upper end of the 80 % interval).</param>
/// <param name="ProbabilityTop20">Share of parameter draws in which the customer's CLV is among the top 20 % of all customers.</param>
public readonly record struct ClvInterval(double Clv, double Lower, double Upper, double ProbabilityTop20);
