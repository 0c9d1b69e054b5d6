using System.CommandLine;
using System.Globalization;
using System.Text;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// <c>clv predict</c>: fits a repeat-purchase model and Gamma-Gamma, then writes one CSV row per customer:
/// <c>id,expected_purchases,p_alive,expected_spend,clv,expected_next_order</c>.
/// </summary>
public static class ClvPredictCommand
{
    /// <summary>Default <c>--horizon</c> in weeks: 39, the CDNOW holdout period (FHL 2005).</summary>
    public const double DefaultHorizonWeeks = 39;

    /// <summary>Default <c>--horizon</c> in days: 273 = 39 weeks.</summary>
    public const double DefaultHorizonDays = 273;

    /// <summary>The CSV header.</summary>
    public const string Header = "id,expected_purchases,p_alive,expected_spend,clv,expected_next_order";

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var input = new ClvInputOptions();
        var model = new Option<string>("--model")
        {
            Description = "Repeat-purchase model: bgnbd or paretonbd (spend always comes from Gamma-Gamma).",
            DefaultValueFactory = _ => ClvModelChoice.BgNbd,
        };
        model.AcceptOnlyFromAmong(ClvModelChoice.BgNbd, ClvModelChoice.ParetoNbd);
        var horizon = new Option<double?>("--horizon")
        {
            Description = $"Horizon of expected_purchases in time units (default {DefaultHorizonWeeks} weeks / {DefaultHorizonDays} days, the CDNOW holdout length).",
            HelpName = "UNITS",
        };
        horizon.Validators.Add(r => Check(r, r.GetValueOrDefault<double?>() is null or (>= 0 and < double.PositiveInfinity), "--horizon must be a finite number >= 0."));
        var months = new Option<int>("--months") { Description = "CLV horizon in months; also the search cap of expected_next_order.", DefaultValueFactory = _ => 12 };
        months.Validators.Add(r => Check(r, r.GetValueOrDefault<int>() is >= 0 and <= 1200, "--months must be between 0 and 1200."));
        var discount = new Option<double>("--discount-rate") { Description = "Monthly discount rate d (month m is discounted by (1 + d)^m).", DefaultValueFactory = _ => 0.01 };
        discount.Validators.Add(r => Check(r, r.GetValueOrDefault<double>() is > -1 and < double.PositiveInfinity, "--discount-rate must be a finite number above -1."));
        var margin = new Option<double>("--margin") { Description = "Gross margin applied to spend (1 = revenue).", DefaultValueFactory = _ => 1.0 };
        margin.Validators.Add(r => Check(r, double.IsFinite(r.GetValueOrDefault<double>()), "--margin must be a finite number."));
        var output = new Option<string?>("--out") { Description = "CSV file to write (default: stdout).", HelpName = "FILE" };
        var timing = new Option<bool>("--timings") { Description = "Write the wall time of each phase (read, fit, score, write) to stderr." };

        var command = new Command("predict", "Fit, then write per-customer predictions as CSV: " + Header + ".");
        input.AddTo(command);
        command.Add(model);
        command.Add(horizon);
        command.Add(months);
        command.Add(discount);
        command.Add(margin);
        command.Add(output);
        command.Add(timing);
        CliAction.Set(command, (parse, stdout, stderr, _) =>
        {
            var timings = new PhaseTimings(parse.GetValue(timing) ? stderr : null);
            var data = input.Load(parse);
            timings.Mark("read");
            ClvInputLoader.WriteWarnings(data, stderr);
            var request = new PredictRequest(
                parse.GetValue(model) ?? ClvModelChoice.BgNbd,
                parse.GetValue(horizon) ?? (data.Unit == TimeUnit.Weeks ? DefaultHorizonWeeks : DefaultHorizonDays),
                new ValuationOptions
                {
                    HorizonMonths = parse.GetValue(months),
                    MonthlyDiscountRate = parse.GetValue(discount),
                    GrossMargin = parse.GetValue(margin),
                    TimeUnitsPerMonth = TimeUnits.PerMonth(data.Unit),
                    IncludeNextPurchase = true,
                    NextPurchaseCapMonths = parse.GetValue(months),
                },
                new FitOptions { Penalizer = parse.GetValue(input.Penalizer) });
            string? path = parse.GetValue(output);
            if (string.IsNullOrEmpty(path) || path == "-")
            {
                Predict(data, request, bytes => stdout.Write(Encoding.UTF8.GetString(bytes)), stderr, "stdout", timings);
                stdout.Flush();
            }
            else
            {
                using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
                Predict(data, request, file.Write, stderr, path, timings);
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    private static void Predict(ClvInput data, PredictRequest request, Action<ReadOnlySpan<byte>> write, TextWriter stderr, string target, PhaseTimings timings)
    {
        var c = CultureInfo.InvariantCulture;
        var customers = data.Customers;
        ModelFit fit;
        IRepeatPurchaseModel purchases;
        if (request.Model == ClvModelChoice.ParetoNbd)
        {
            var pareto = ParetoNbdModel.Fit(customers.Rows, request.Fit);
            (fit, purchases) = (pareto, pareto);
        }
        else
        {
            var bg = BgNbdModel.Fit(customers.Rows, request.Fit);
            (fit, purchases) = (bg, bg);
        }

        timings.Mark("fit " + request.Model);
        var notes = new List<string>();

        // The spend model does not depend on the purchase model: it is fitted beside the scoring, on the core the
        // scoring's serial steps (validation, grouping the histories) leave idle. Both results are deterministic.
        var spendFit = Task.Run(() => ClvFitter.FitSpend(data, request.Fit, required: false, notes));
        var scored = CustomerValuation.ScoreHistories(purchases, customers.Rows, request.Valuation with { PurchaseHorizon = request.Horizon });
        timings.Mark("score (gammagamma alongside)");
        var spend = spendFit.GetAwaiter().GetResult();
        timings.Mark("fit gammagamma (rest)");
        write(Encoding.UTF8.GetBytes(Header + Environment.NewLine));
        var (totalPurchases, totalClv) = PredictionCsv.WriteRows(
            customers, scored, spend?.Parameters, request.Valuation.GrossMargin, time => NextOrder(data, time), write);
        timings.Mark("format and write");
        foreach (string note in notes)
        {
            stderr.WriteLine($"note: {note}");
        }

        string unit = ClvInputOptions.NameOf(data.Unit);
        stderr.WriteLine(string.Format(
            c,
            "clv predict: {0:N0} customers; {1} {2} ({3} iterations){4}; expected purchases over {5} {6}: {7:N1}; CLV over {8} months at {9:P1}/month, margin {10}: {11:N2}; wrote {12}",
            customers.Count,
            request.Model,
            fit.Status,
            fit.Iterations,
            spend is null ? ", no spend model (expected_spend and clv left empty)" : $", gammagamma {spend.Status}",
            request.Horizon,
            unit,
            totalPurchases,
            request.Valuation.HorizonMonths,
            request.Valuation.MonthlyDiscountRate,
            request.Valuation.GrossMargin,
            totalClv,
            target));
    }

    /// <summary>
    /// The expected next order: a calendar date (calibration end + time) for transaction input; time units after the
    /// calibration end for summary input; empty when E[Y(t)] does not reach 1 within the --months cap.
    /// </summary>
    private static string NextOrder(ClvInput data, double timeUnits)
    {
        if (double.IsNaN(timeUnits))
        {
            return string.Empty;
        }

        return data.CalibrationEnd is { } end
            ? TimeUnits.After(end, timeUnits, data.Unit).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : timeUnits.ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static void Check(System.CommandLine.Parsing.OptionResult result, bool ok, string message)
    {
        if (!ok)
        {
            result.AddError(message);
        }
    }

    private sealed record PredictRequest(string Model, double Horizon, ValuationOptions Valuation, FitOptions Fit);
}
