namespace CustomerValue.Models.Fitting;

/// <summary>One fitted parameter with its standard error (from the inverse Hessian) and a 95 % Wald interval.</summary>
/// <param name="Name">Parameter name as in the paper (r, alpha, a, b, s, beta, p, q, v).</param>
/// <param name="Value">Estimate.</param>
/// <param name="StandardError">Standard error; NaN when the Hessian was not positive definite or not computed.</param>
public sealed record ParameterEstimate(string Name, double Value, double StandardError)
{
    /// <summary>Lower end of the 95 % interval, value − 1.96 SE.</summary>
    public double Lower95 => Value - 1.959964 * StandardError;

    /// <summary>Upper end of the 95 % interval, value + 1.96 SE.</summary>
    public double Upper95 => Value + 1.959964 * StandardError;
}
