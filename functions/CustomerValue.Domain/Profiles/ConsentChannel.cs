namespace CustomerValue.Domain.Profiles;

/// <summary>A marketing channel a customer can consent to.</summary>
public enum ConsentChannel
{
    /// <summary>Marketing e-mail.</summary>
    Email,

    /// <summary>Marketing SMS / text messages.</summary>
    Sms,

    /// <summary>Use of the customer's data for ad-platform audiences.</summary>
    Ads,
}
