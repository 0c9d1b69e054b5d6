namespace CustomerValue.Identity.Normalization;

/// <summary>Settings of identity matching (configuration section <c>Identity</c>).</summary>
public sealed class IdentityOptions
{
    /// <summary>
    /// ISO 3166 region assumed for phone numbers written without a country code (e.g. "030 1234567" in "DE").
    /// </summary>
    public string DefaultRegion { get; set; } = "US";
}
