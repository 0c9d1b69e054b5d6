using CustomerValue.Domain.Profiles;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.MbgNbd;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Scoring;

namespace CustomerValue.Segmentation.RealTime;

/// <summary>
/// The models of the last recompute, rebuilt from the parameters its run record holds, so that one customer can be
/// rescored between runs exactly as the run scored everyone (no refit, no parameter draws: the CLV interval waits for
/// the next run). A run that valued by net spend rescores by net spend.
/// </summary>
public sealed class LastFit
{
    private readonly IRepeatPurchaseModel? _purchases;
    private readonly GammaGammaParameters? _spend;
    private readonly double _shopGap;

    private LastFit(string runId, string method, IRepeatPurchaseModel? purchases, GammaGammaParameters? spend, double shopGap, bool insufficientData)
    {
        RunId = runId;
        Method = method;
        _purchases = purchases;
        _spend = spend;
        _shopGap = shopGap;
        InsufficientData = insufficientData;
    }

    /// <summary>The run the parameters come from.</summary>
    public string RunId { get; }

    /// <summary>The valuation method of that run.</summary>
    public string Method { get; }

    /// <summary>True when the run's data was below the models' minimums.</summary>
    public bool InsufficientData { get; }

    /// <summary>True when the run fitted models (false: net spend).</summary>
    public bool IsModelled => _purchases is not null && _spend is not null;

    /// <summary>The last fit of a run record; net spend when the run fitted nothing or its parameters cannot be read.</summary>
    public static LastFit Of(RecomputeRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var model = run.Model;
        var repeat = model?.Fits.FirstOrDefault(f => f.Model != "gammagamma");
        var spend = model?.Fits.FirstOrDefault(f => f.Model == "gammagamma");
        var purchases = repeat is null ? null : PurchasesOf(repeat);
        var spendParameters = spend?.Parameters is { } p && p.TryGetValue("p", out var pp) && p.TryGetValue("q", out var q) && p.TryGetValue("v", out var v)
            ? new GammaGammaParameters(pp, q, v)
            : null;
        return purchases is null || spendParameters is null
            ? new LastFit(run.Id, NetSpendScorer.Method, null, null, 0, model?.InsufficientData ?? false)
            : new LastFit(run.Id, model!.Method, purchases, spendParameters, model.ShopMedianGap ?? 30, model.InsufficientData);
    }

    /// <summary>The profile's value now, with the last fit's parameters.</summary>
    public CustomerValueScore Score(CustomerProfile profile, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var baseline = NetSpendScorer.Score(profile, RunId);
        if (!IsModelled || profile.Orders == 0)
        {
            return baseline;
        }

        var calibrationEnd = now.UtcDateTime.Date;
        try
        {
            var summary = TransactionSummarizer.Summarize(ClvScorer.TransactionsOf(profile), calibrationEnd, TimeUnit.Days).Summaries;
            if (summary.Count != 1)
            {
                return baseline;
            }

            var customer = summary[0];
            var score = CustomerValuation.Score(_purchases!, _spend!, [customer.ToRow()], ClvScorer.Valuation)[0];
            return ClvScorer.Valued(baseline, customer, score, _purchases!, _shopGap, calibrationEnd, Method, null, InsufficientData) ?? baseline;
        }
        catch (ModelInputException)
        {
            return baseline; // the recompute would not value this history either
        }
    }

    private static IRepeatPurchaseModel? PurchasesOf(ModelFitSummary fit)
    {
        double Get(string name) => fit.Parameters.TryGetValue(name, out var value) ? value : double.NaN;
        IRepeatPurchaseModel? model = (fit.Model, fit.Limit) switch
        {
            ("bgnbd", "constantDropoutProbability") => new ConstantDropoutParameters(Get("r"), Get("alpha"), Get("p")),
            ("mbgnbd", "constantDropoutProbability") => new ConstantDropoutParameters(Get("r"), Get("alpha"), Get("p"), DropsAfterFirstPurchase: true),
            ("paretonbd", "constantDropoutRate") => new ConstantRateParameters(Get("r"), Get("alpha"), Get("mu")),
            ("bgnbd", _) => new BgNbdParameters(Get("r"), Get("alpha"), Get("a"), Get("b")),
            ("mbgnbd", _) => new MbgNbdParameters(Get("r"), Get("alpha"), Get("a"), Get("b")),
            ("paretonbd", _) => new ParetoNbdParameters(Get("r"), Get("alpha"), Get("s"), Get("beta")),
            _ => null,
        };
        return fit.Parameters.Values.All(double.IsFinite) ? model : null;
    }
}
