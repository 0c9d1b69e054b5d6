using System.CommandLine;
using CustomerValue.Models.Fitting;

namespace CustomerValue.Cli.Clv;

/// <summary><c>clv fit</c>: fits BG/NBD, Pareto/NBD and/or Gamma-Gamma and prints the estimates as JSON.</summary>
public static class ClvFitCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var input = new ClvInputOptions();
        var model = new Option<string>("--model")
        {
            Description = "Model(s) to fit: bgnbd, paretonbd, gammagamma, or all (Gamma-Gamma only when spend is known).",
            DefaultValueFactory = _ => ClvModelChoice.All,
        };
        model.AcceptOnlyFromAmong(ClvModelChoice.BgNbd, ClvModelChoice.ParetoNbd, ClvModelChoice.GammaGamma, ClvModelChoice.All);
        var command = new Command("fit", "Fit the models to a summary or transaction file; prints parameters (named as in the papers), standard errors, log-likelihood and fit status as JSON.");
        input.AddTo(command);
        command.Add(model);
        CliAction.Set(command, (parse, output, error, _) =>
        {
            var data = input.Load(parse);
            double penalizer = parse.GetValue(input.Penalizer);
            var fits = ClvFitter.Fit(data, parse.GetValue(model) ?? ClvModelChoice.All, new FitOptions { Penalizer = penalizer });
            ClvInputLoader.WriteWarnings(data, error);
            foreach (var (name, fit) in fits.Present().Where(f => !f.Fit.Converged))
            {
                error.WriteLine($"warning: {name}: {fit.Status}: {fit.StatusMessage}");
            }

            output.WriteLine(FitReportJson.Write(data, fits, penalizer));
            return CliExitCodes.Success;
        });
        return command;
    }
}
