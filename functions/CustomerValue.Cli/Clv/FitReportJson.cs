using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>The JSON document <c>clv fit</c> prints.</summary>
internal static class FitReportJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The report of <paramref name="fits"/> on <paramref name="input"/>, indented.</summary>
    public static string Write(ClvInput input, ClvFits fits, double penalizer)
    {
        var models = new JsonObject();
        foreach (var (name, fit) in fits.Present())
        {
            models[name] = Model(fit);
        }

        var root = new JsonObject
        {
            ["input"] = input.Path,
            ["format"] = input.Format,
            ["timeUnit"] = ClvInputOptions.NameOf(input.Unit),
            ["calibrationEnd"] = input.CalibrationEnd?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["transactions"] = input.Transactions,
            ["transactionsAfterCalibrationEnd"] = input.TransactionsAfterCalibrationEnd,
            ["observations"] = input.Summaries.Count,
            ["repeatBuyers"] = input.RepeatBuyers,
            ["thinData"] = fits.Present().Any(f => f.Fit.IsThinDataEstimate),
            ["penalizer"] = penalizer,
            ["models"] = models,
            ["notes"] = new JsonArray([.. fits.Notes.Concat(input.Warnings).Select(n => (JsonNode?)JsonValue.Create(n))]),
        };
        return root.ToJsonString(Indented);
    }

    private static JsonObject Model(ModelFit fit)
    {
        var values = new JsonObject();
        var errors = new JsonObject();
        foreach (var p in fit.Summary)
        {
            values[p.Name] = Number(p.Value);
            errors[p.Name] = Number(p.StandardError);
        }

        return new JsonObject
        {
            ["params"] = values,
            ["standardErrors"] = errors,
            ["logLikelihood"] = Number(fit.LogLikelihood),
            ["converged"] = fit.Converged,
            ["status"] = fit.Status.ToString(),
            ["statusMessage"] = fit.StatusMessage,
            ["iterations"] = fit.Iterations,
            ["fitSeconds"] = Number(Math.Round(fit.FitSeconds, 6)),
            ["observations"] = fit.Observations,
            ["uniqueRows"] = fit.UniqueRows,
            ["thinData"] = fit.IsThinDataEstimate,
        };
    }

    /// <summary>A JSON number, or null for NaN/infinity (JSON has no such numbers).</summary>
    private static JsonValue? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
