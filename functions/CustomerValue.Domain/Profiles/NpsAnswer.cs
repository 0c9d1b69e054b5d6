namespace CustomerValue.Domain.Profiles;

/// <summary>An answer to "How likely are you to recommend us?" on the 0–10 Net Promoter scale.</summary>
/// <param name="Score">0 to 10.</param>
/// <param name="AnsweredAt">When the customer answered.</param>
public sealed record NpsAnswer(int Score, DateTimeOffset AnsweredAt)
{
    /// <summary>The survey or touchpoint that asked, e.g. <c>post-purchase</c>.</summary>
    public string? Survey { get; init; }

    /// <summary>9 or 10.</summary>
    public bool IsPromoter => Score >= 9;
}
