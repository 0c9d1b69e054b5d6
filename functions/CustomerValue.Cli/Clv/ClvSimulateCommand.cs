using System.CommandLine;
using System.Globalization;
using System.Text;
using CustomerValue.Models.Simulation;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// <c>clv simulate</c>: writes a summary CSV (<c>id,frequency,recency,T,monetary_value</c>, times in whole days) drawn
/// from the BG/NBD + Gamma-Gamma generative model with <see cref="GenerativeParameters.ShopInDays"/>, the generator and
/// parameters the demo shop uses.
/// </summary>
public static class ClvSimulateCommand
{
    /// <summary>Default observation window in days (the demo shop's two years).</summary>
    public const int DefaultDays = 730;

    /// <summary>The CSV header.</summary>
    public const string Header = "id,frequency,recency,T,monetary_value";

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var customers = new Option<int>("--customers") { Description = "Customers to simulate.", Required = true, HelpName = "N" };
        customers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 50_000_000)
            {
                r.AddError("--customers must be between 1 and 50,000,000.");
            }
        });
        var output = new Option<string?>("--out") { Description = "CSV file to write (default: stdout).", HelpName = "FILE" };
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed gives the same customers).", DefaultValueFactory = _ => 42 };
        var days = new Option<int>("--days") { Description = "Observation window in days; first purchases are uniform over it.", DefaultValueFactory = _ => DefaultDays };
        days.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 36_500)
            {
                r.AddError("--days must be between 1 and 36,500.");
            }
        });
        var command = new Command("simulate", "Simulate a customer base (BG/NBD + Gamma-Gamma, the demo shop's parameters) and write its summary CSV: " + Header + " (days).")
        {
            customers, output, seed, days,
        };
        CliAction.Set(command, (parse, stdout, stderr, _) =>
        {
            int n = parse.GetValue(customers);
            int window = parse.GetValue(days);
            int s = parse.GetValue(seed);
            var parameters = GenerativeParameters.ShopInDays;
            var rows = CustomerBaseSimulator.SimulateSummaries(n, window, parameters, new Random(s));
            string? path = parse.GetValue(output);
            if (string.IsNullOrEmpty(path) || path == "-")
            {
                Write(rows, stdout);
            }
            else
            {
                using var file = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
                Write(rows, file);
            }

            stderr.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "clv simulate: {0:N0} customers over {1} days, seed {2}; BG/NBD r={3:0.####}, alpha={4:0.###}, a={5:0.####}, b={6:0.####}; Gamma-Gamma p={7:0.####}, q={8:0.####}, v={9:0.####} (time in days); {10:N0} repeat buyers; wrote {11}",
                n, window, s, parameters.R, parameters.Alpha, parameters.A, parameters.B, parameters.P, parameters.Q, parameters.V,
                rows.Count(r => r.Frequency > 0), string.IsNullOrEmpty(path) ? "stdout" : path));
            return CliExitCodes.Success;
        });
        return command;
    }

    private static void Write(SummaryRow[] rows, TextWriter csv)
    {
        var c = CultureInfo.InvariantCulture;
        csv.WriteLine(Header);
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            csv.Write((i + 1).ToString(c));
            csv.Write(',');
            csv.Write(r.Frequency.ToString(c));
            csv.Write(',');
            csv.Write(r.Recency.ToString(c));
            csv.Write(',');
            csv.Write(r.T.ToString(c));
            csv.Write(',');
            csv.WriteLine(r.MonetaryValue.ToString("0.00", c));
        }

        csv.Flush();
    }
}
