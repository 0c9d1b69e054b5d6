namespace CustomerValue.Models.Summaries;

/// <summary>The time unit of summaries and of the parameters fitted to them.</summary>
public enum TimeUnit
{
    /// <summary>Days (α of BG/NBD then is a number of days).</summary>
    Days,

    /// <summary>Weeks of 7 days, fractional (days / 7), as the CDNOW publications use.</summary>
    Weeks,
}
