using System.CommandLine;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>The input options shared by <c>clv fit</c> and <c>clv predict</c>.</summary>
internal sealed class ClvInputOptions
{
    public Option<string> Input { get; } = new("--input")
    {
        Description = "Input file: a summary CSV, a transaction CSV or a CDNOW file.",
        Required = true,
        HelpName = "FILE",
    };

    public Option<string> Format { get; } = CreateFormat();

    public Option<string> Unit { get; } = CreateTimeUnit("days");

    public Option<DateTime?> CalibrationEnd { get; } = new("--calibration-end")
    {
        Description = "Transactions only: last day of the calibration period (default: the latest transaction date). Later transactions are ignored.",
        HelpName = "DATE",
    };

    public Option<double> Penalizer { get; } = CreatePenalizer();

    /// <summary>A <c>--time-unit</c> option with <paramref name="defaultUnit"/> as default.</summary>
    public static Option<string> CreateTimeUnit(string defaultUnit)
    {
        var option = new Option<string>("--time-unit")
        {
            Description = "Time unit of recency/T and of the fitted rates: days, or weeks (days / 7, as the CDNOW papers). A summary file is read as being in this unit.",
            DefaultValueFactory = _ => defaultUnit,
        };
        option.AcceptOnlyFromAmong("days", "weeks");
        return option;
    }

    /// <summary>The <c>--penalizer</c> option (L2, lifetimes' convention).</summary>
    public static Option<double> CreatePenalizer()
    {
        var option = new Option<double>("--penalizer")
        {
            Description = "L2 penalizer lambda >= 0 on the parameters (lifetimes' convention; 0 = plain maximum likelihood).",
            DefaultValueFactory = _ => 0.0,
        };
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value >= 0) || !double.IsFinite(value))
            {
                result.AddError("--penalizer must be a finite number >= 0.");
            }
        });
        return option;
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Input);
        command.Add(Format);
        command.Add(Unit);
        command.Add(CalibrationEnd);
        command.Add(Penalizer);
    }

    /// <summary>Loads the input the options name.</summary>
    public ClvInput Load(ParseResult parse) => ClvInputLoader.Load(
        parse.GetRequiredValue(Input), parse.GetValue(Format) ?? ClvInputFormat.Auto, UnitOf(parse.GetValue(Unit)), parse.GetValue(CalibrationEnd));

    /// <summary>The time unit named by a <c>--time-unit</c> value.</summary>
    public static TimeUnit UnitOf(string? value) =>
        string.Equals(value, "weeks", StringComparison.OrdinalIgnoreCase) ? TimeUnit.Weeks : TimeUnit.Days;

    /// <summary>The lower-case name of a unit, as the options spell it.</summary>
    public static string NameOf(TimeUnit unit) => unit == TimeUnit.Weeks ? "weeks" : "days";

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--format")
        {
            Description = "Input layout: summary, transactions (CSV customer_id,date,amount; a CDNOW file is recognised too), cdnow, or auto (detect from the first line).",
            DefaultValueFactory = _ => ClvInputFormat.Auto,
        };
        option.AcceptOnlyFromAmong([.. ClvInputFormat.All]);
        return option;
    }
}
