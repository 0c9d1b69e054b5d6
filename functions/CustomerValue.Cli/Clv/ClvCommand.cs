using System.CommandLine;

namespace CustomerValue.Cli.Clv;

/// <summary><c>clv</c>: the analyst commands of the customer-value models (fit, predict, simulate, validate).</summary>
public static class ClvCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Build() => new("clv", "Customer-lifetime-value models for analysts: BG/NBD, Pareto/NBD, Gamma-Gamma on summary or transaction files.")
    {
        ClvFitCommand.Build(),
        ClvPredictCommand.Build(),
        ClvSimulateCommand.Build(),
        ClvValidateCommand.Build(),
    };
}
