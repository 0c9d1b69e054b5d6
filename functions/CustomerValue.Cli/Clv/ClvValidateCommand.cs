using System.CommandLine;
using System.Globalization;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Validation;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// <c>clv validate</c>: calibration/holdout check on a transaction file (FHL 2005 §4): fit on the calibration period,
/// then print actual against predicted holdout purchases per customer, grouped by calibration frequency.
/// </summary>
public static class ClvValidateCommand
{
    /// <summary>Default holdout length when only <c>--holdout-end</c> is known: 273 days (39 weeks, as CDNOW).</summary>
    public const int DefaultHoldoutDays = 273;

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var input = new Option<string>("--input") { Description = "Transaction file: CSV customer_id,date,amount, or a CDNOW file.", Required = true, HelpName = "FILE" };
        var format = new Option<string>("--format") { Description = "Input layout: transactions, cdnow, or auto.", DefaultValueFactory = _ => ClvInputFormat.Auto };
        format.AcceptOnlyFromAmong(ClvInputFormat.Auto, ClvInputFormat.Transactions, ClvInputFormat.Cdnow);
        var calibrationEnd = new Option<DateTime?>("--calibration-end") { Description = $"Last day of the calibration period (default: holdout end - {DefaultHoldoutDays} days).", HelpName = "DATE" };
        var holdoutEnd = new Option<DateTime?>("--holdout-end") { Description = "Last day of the holdout period (default: the latest transaction date).", HelpName = "DATE" };
        var unit = ClvInputOptions.CreateTimeUnit("weeks");
        var model = new Option<string>("--model") { Description = "Model(s) to check: bgnbd, paretonbd, or all (then also the model choice among BG/NBD, Pareto/NBD and MBG/NBD).", DefaultValueFactory = _ => ClvModelChoice.All };
        model.AcceptOnlyFromAmong(ClvModelChoice.BgNbd, ClvModelChoice.ParetoNbd, ClvModelChoice.All);
        var penalizer = ClvInputOptions.CreatePenalizer();
        var maxFrequency = new Option<int>("--max-frequency") { Description = "Calibration frequencies at or above this share the last row (7 gives 7+).", DefaultValueFactory = _ => 7 };
        maxFrequency.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100)
            {
                r.AddError("--max-frequency must be between 1 and 100.");
            }
        });
        var plot = new Option<string?>("--plot") { Description = "Also write the calibration chart of each model and the distributions of predicted CLV and P(alive) as PNG files into this folder.", HelpName = "DIR" };
        var command = new Command("validate", "Calibration/holdout check on a transaction file: actual vs predicted holdout purchases by calibration frequency.")
        {
            input, format, calibrationEnd, holdoutEnd, unit, model, penalizer, maxFrequency, plot,
        };
        CliAction.Set(command, (parse, output, error, _) =>
        {
            string path = parse.GetRequiredValue(input);
            string layout = InputSniffer.Resolve(path, parse.GetValue(format) ?? ClvInputFormat.Auto);
            if (layout == ClvInputFormat.Summary)
            {
                throw new CliInputException($"'{path}' is a summary file; validate needs dated transactions (CSV customer_id,date,amount or CDNOW).");
            }

            var file = TransactionFileReader.Read(path, layout);
            var holdout = (parse.GetValue(holdoutEnd) ?? file.LastDate!.Value).Date;
            var calibration = (parse.GetValue(calibrationEnd) ?? holdout.AddDays(-DefaultHoldoutDays)).Date;
            if (calibration >= holdout)
            {
                throw new CliInputException($"the calibration end {Day(calibration)} must be before the holdout end {Day(holdout)}.");
            }

            var timeUnit = ClvInputOptions.UnitOf(parse.GetValue(unit));
            var options = new FitOptions { Penalizer = parse.GetValue(penalizer) };
            string which = parse.GetValue(model) ?? ClvModelChoice.All;
            var reports = new List<(string Name, HoldoutReport Report)>();
            if (which is ClvModelChoice.BgNbd or ClvModelChoice.All)
            {
                reports.Add(("BG/NBD", Compare(file, calibration, holdout, timeUnit, s => BgNbdModel.Fit(s, options), parse.GetValue(maxFrequency))));
            }

            if (which is ClvModelChoice.ParetoNbd or ClvModelChoice.All)
            {
                reports.Add(("Pareto/NBD", Compare(file, calibration, holdout, timeUnit, s => ParetoNbdModel.Fit(s, options), parse.GetValue(maxFrequency))));
            }

            HoldoutTable.Write(output, path, calibration, holdout, timeUnit, reports);
            if (which == ClvModelChoice.All)
            {
                WriteComparison(output, ModelComparison.Compare(
                    [.. file.Transactions], calibration, holdout, timeUnit,
                    ModelComparisonOptions.Default with { Fit = options, MaxFrequency = parse.GetValue(maxFrequency) }));
            }

            if (parse.GetValue(plot) is { Length: > 0 } folder)
            {
                foreach (var written in ValidationPlots.Write(folder, reports, path, layout, timeUnit, options))
                {
                    error.WriteLine($"wrote {written}");
                }
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    private static HoldoutReport Compare(
        TransactionFile file, DateTime calibration, DateTime holdout, TimeUnit unit, Func<IReadOnlyList<CustomerSummary>, Models.Valuation.IRepeatPurchaseModel> fit, int maxFrequency)
    {
        if (!file.Transactions.Any(t => t.Date.Date <= calibration))
        {
            throw new CliInputException($"no transaction on or before the calibration end {Day(calibration)}.");
        }

        return HoldoutComparison.Compare(file.Transactions, calibration, holdout, unit, fit, maxFrequency);
    }

    /// <summary>
    /// The model choice the recompute makes, on the same split: BG/NBD, Pareto/NBD and MBG/NBD side by side by their
    /// per-customer and aggregate holdout errors, and the winner.
    /// </summary>
    private static void WriteComparison(TextWriter output, ModelComparisonReport report)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Format(c, "Model choice ({0:N0} customers; holdout {1:0.##} time units):", report.Customers, report.HoldoutLength));
        output.WriteLine(string.Format(c, "{0,-11} {1,10} {2,10} {3,12} {4,12} {5,10}", "model", "MAE", "RMSE", "predicted", "actual", "aggregate"));
        foreach (var m in report.Models)
        {
            output.WriteLine(m.Error is { } error
                ? string.Format(c, "{0,-11} not fitted: {1}", ModelName(m.Model), error)
                : string.Format(c, "{0,-11} {1,10:0.0000} {2,10:0.0000} {3,12:N1} {4,12:N0} {5,10:+0.0%;-0.0%}",
                    ModelName(m.Model), m.MeanAbsoluteError, m.RootMeanSquaredError, m.PredictedTotal, m.ActualTotal, m.AggregateRelativeError));
        }

        output.WriteLine(report.Winner is { } winner ? $"winner: {ModelName(winner)} ({report.Reason})" : $"no winner: {report.Reason}");
    }

    private static string ModelName(RepeatPurchaseModelKind kind) => kind switch
    {
        RepeatPurchaseModelKind.ParetoNbd => "Pareto/NBD",
        RepeatPurchaseModelKind.MbgNbd => "MBG/NBD",
        _ => "BG/NBD",
    };

    private static string Day(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
