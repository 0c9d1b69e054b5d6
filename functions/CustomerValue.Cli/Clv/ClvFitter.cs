using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>Fits the models a command asks for to a loaded input.</summary>
internal static class ClvFitter
{
    /// <summary>Fits <paramref name="model"/> (bgnbd, paretonbd, gammagamma or all).</summary>
    public static ClvFits Fit(ClvInput input, string model, FitOptions options)
    {
        var notes = new List<string>();
        bool all = model == ClvModelChoice.All;
        var bgNbd = all || model == ClvModelChoice.BgNbd ? BgNbdModel.Fit(input.Summaries, options) : null;
        var paretoNbd = all || model == ClvModelChoice.ParetoNbd ? ParetoNbdModel.Fit(input.Summaries, options) : null;
        var gammaGamma = all || model == ClvModelChoice.GammaGamma ? FitSpend(input, options, required: !all, notes) : null;
        return new ClvFits(bgNbd, paretoNbd, gammaGamma, notes);
    }

    /// <summary>
    /// Fits Gamma-Gamma on the repeat buyers with a positive mean repeat spend. Repeat buyers whose repeat purchases
    /// were all $0.00 (CDNOW has free orders) carry no spend information the model can use and are left out with a
    /// note. Without monetary values, or without a usable repeat buyer, returns null with a note — or, when
    /// <paramref name="required"/>, throws <see cref="CliInputException"/>.
    /// </summary>
    public static GammaGammaFit? FitSpend(ClvInput input, FitOptions options, bool required, List<string> notes)
    {
        if (!input.HasMonetaryValue)
        {
            return Skip($"Gamma-Gamma not fitted: '{input.Path}' has no monetary_value (zbar) column.", required, notes);
        }

        // Usually every repeat buyer has spend: then the rows go to the fit as they are, without a copy.
        var rows = input.Customers.Rows;
        int zero = 0, usableBuyers = 0;
        foreach (var s in rows)
        {
            zero += s.Frequency > 0 && !(s.MonetaryValue > 0) ? 1 : 0;
            usableBuyers += s.Frequency > 0 && s.MonetaryValue > 0 ? 1 : 0;
        }

        if (zero > 0)
        {
            notes.Add($"Gamma-Gamma: {zero} repeat buyer(s) with a mean repeat spend of 0 left out of the spend fit.");
            rows = rows.Where(s => !(s.Frequency > 0 && !(s.MonetaryValue > 0))).ToArray();
        }

        if (usableBuyers == 0)
        {
            return Skip("Gamma-Gamma not fitted: no customer has a repeat purchase with positive spend.", required, notes);
        }

        return GammaGammaModel.Fit(rows, options);
    }

    private static GammaGammaFit? Skip(string note, bool required, List<string> notes)
    {
        if (required)
        {
            throw new CliInputException(note);
        }

        notes.Add(note);
        return null;
    }
}

/// <summary>The fits of one command run; a model not asked for (or not fittable) is null.</summary>
internal sealed record ClvFits(BgNbdFit? BgNbd, ParetoNbdFit? ParetoNbd, GammaGammaFit? GammaGamma, IReadOnlyList<string> Notes)
{
    /// <summary>The fits present, with their JSON names.</summary>
    public IEnumerable<(string Name, ModelFit Fit)> Present()
    {
        if (BgNbd is not null)
        {
            yield return (ClvModelChoice.BgNbd, BgNbd);
        }

        if (ParetoNbd is not null)
        {
            yield return (ClvModelChoice.ParetoNbd, ParetoNbd);
        }

        if (GammaGamma is not null)
        {
            yield return (ClvModelChoice.GammaGamma, GammaGamma);
        }
    }
}
