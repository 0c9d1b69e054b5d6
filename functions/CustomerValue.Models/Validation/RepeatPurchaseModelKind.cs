namespace CustomerValue.Models.Validation;

/// <summary>The repeat-purchase models a comparison can fit.</summary>
public enum RepeatPurchaseModelKind
{
    /// <summary>BG/NBD (Fader, Hardie &amp; Lee 2005).</summary>
    BgNbd,

    /// <summary>Pareto/NBD (Schmittlein, Morrison &amp; Colombo 1987).</summary>
    ParetoNbd,

    /// <summary>MBG/NBD (Batislam, Denizel &amp; Filiztekin 2007).</summary>
    MbgNbd,
}
