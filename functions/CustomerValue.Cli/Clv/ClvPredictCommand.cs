using System.CommandLine;
using System.Globalization;
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
                Predict(data, request, stdout, stderr, "stdout", timings);
            }
            else
            {
                using var file = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
                Predict(data, request, file, stderr, path, timings);
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    private static void Predict(ClvInput data, PredictRequest request, TextWriter csv, TextWriter stderr, string target, PhaseTimings timings)
    {
        var c = CultureInfo.InvariantCulture;
        ModelFit fit;
        IRepeatPurchaseModel purchases;
        if (request.Model == ClvModelChoice.ParetoNbd)
        {
            var pareto = ParetoNbdModel.Fit(data.Summaries, request.Fit);
            (fit, purchases) = (pareto, pareto);
        }
        else
        {
            var bg = BgNbdModel.Fit(data.Summaries, request.Fit);
            (fit, purchases) = (bg, bg);
        }

        timings.Mark("fit " + request.Model);
        var notes = new List<string>();
        var spend = ClvFitter.FitSpend(data, request.Fit, required: false, notes);
        timings.Mark("fit gammagamma");
        var scores = CustomerValuation.Score(purchases, spend?.Parameters ?? new GammaGammaParameters(1, 2, 1), data.Summaries, request.Valuation);
        timings.Mark("score");
        var histories = Histories.Of(data.Summaries, scores, purchases, request.Horizon, data);

        timings.Mark("format histories");
        csv.WriteLine(Header);
        double totalClv = 0, totalPurchases = 0;
        var line = new RowWriter(csv);
        for (int i = 0; i < scores.Length; i++)
        {
            var s = data.Summaries[i];
            int k = histories.RowOf[i];
            var score = scores[i];
            totalPurchases += histories.Expected[k];
            totalClv += spend is null ? 0 : score.PredictedClv;
            line.Append(CsvColumns.Escape(s.Id));
            line.Append(',');
            line.Append(histories.ExpectedText[k]);
            line.Append(',');
            line.Append(histories.AliveText[k]);
            line.Append(',');
            if (spend is not null)
            {
                line.AppendMoney(score.ExpectedAverageSpend);
            }

            line.Append(',');
            if (spend is not null)
            {
                line.AppendMoney(score.PredictedClv);
            }

            line.Append(',');
            line.Append(histories.NextText[k]);
            line.EndLine();
        }

        line.Flush();
        csv.Flush();
        timings.Mark("write");
        foreach (string note in notes)
        {
            stderr.WriteLine($"note: {note}");
        }

        string unit = ClvInputOptions.NameOf(data.Unit);
        stderr.WriteLine(string.Format(
            c,
            "clv predict: {0:N0} customers; {1} {2} ({3} iterations){4}; expected purchases over {5} {6}: {7:N1}; CLV over {8} months at {9:P1}/month, margin {10}: {11:N2}; wrote {12}",
            scores.Length,
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

    /// <summary>
    /// The columns that depend only on a customer's (x, t_x, T) history, formatted once per distinct history: a million
    /// customers have about a sixth as many distinct histories, and formatting a double costs more than looking a
    /// string up. E[Y(horizon)] = g(horizon; x, T) · P(alive) (<see cref="IRepeatPurchaseModel.ExpectedPurchasesIfAlive"/>),
    /// so the model is evaluated once per distinct (x, T), a few thousand.
    /// </summary>
    private sealed record Histories(int[] RowOf, double[] Expected, string[] ExpectedText, string[] AliveText, string[] NextText)
    {
        public static Histories Of(IReadOnlyList<CustomerSummary> customers, CustomerScore[] scores, IRepeatPurchaseModel purchases, double horizon, ClvInput data)
        {
            var c = CultureInfo.InvariantCulture;
            var index = new Dictionary<(double, double, double), int>();
            var growth = new Dictionary<(double, double), double>();
            var rowOf = new int[customers.Count];
            var firstRow = new List<int>();
            for (int i = 0; i < rowOf.Length; i++)
            {
                var s = customers[i];
                ref int slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(index, (s.Frequency, s.Recency, s.T), out bool exists);
                if (!exists)
                {
                    slot = firstRow.Count;
                    firstRow.Add(i);
                    growth.TryAdd((s.Frequency, s.T), double.NaN);
                }

                rowOf[i] = slot;
            }

            var ages = growth.Keys.ToArray();
            var values = new double[ages.Length];
            Parallel.For(0, ages.Length, k => values[k] = purchases.ExpectedPurchasesIfAlive(horizon, ages[k].Item1, ages[k].Item2));
            for (int k = 0; k < ages.Length; k++)
            {
                growth[ages[k]] = values[k];
            }

            int n = firstRow.Count;
            var expected = new double[n];
            var expectedText = new string[n];
            var aliveText = new string[n];
            var nextText = new string[n];
            Parallel.For(0, n, k =>
            {
                int i = firstRow[k];
                var s = customers[i];
                double alive = scores[i].ProbabilityAlive;
                expected[k] = horizon <= 0 ? 0 : growth[(s.Frequency, s.T)] * alive;
                expectedText[k] = expected[k].ToString("0.######", c);
                aliveText[k] = Math.Clamp(alive, 0, 1).ToString("0.######", c);
                nextText[k] = NextOrder(data, scores[i].TimeToNextPurchase);
            });
            return new Histories(rowOf, expected, expectedText, aliveText, nextText);
        }
    }

    /// <summary>Builds output lines in one reused buffer and formats money without a string per value.</summary>
    private sealed class RowWriter(TextWriter output)
    {
        private readonly char[] _buffer = new char[1 << 16];
        private int _length;

        public void Append(char value)
        {
            Reserve(1);
            _buffer[_length++] = value;
        }

        public void Append(string value)
        {
            if (value.Length > _buffer.Length)
            {
                Flush();
                output.Write(value);
                return;
            }

            Reserve(value.Length);
            value.CopyTo(_buffer.AsSpan(_length));
            _length += value.Length;
        }

        public void AppendMoney(double value)
        {
            Reserve(64);
            // "F2" rather than the custom "0.00": the same text, formatted several times faster.
            if (!value.TryFormat(_buffer.AsSpan(_length), out int written, "F2", CultureInfo.InvariantCulture))
            {
                Append(value.ToString("F2", CultureInfo.InvariantCulture));
                return;
            }

            _length += written;
        }

        public void EndLine() => Append('\n');

        public void Flush()
        {
            output.Write(_buffer, 0, _length);
            _length = 0;
        }

        private void Reserve(int count)
        {
            if (_length + count > _buffer.Length)
            {
                Flush();
            }
        }
    }
}
