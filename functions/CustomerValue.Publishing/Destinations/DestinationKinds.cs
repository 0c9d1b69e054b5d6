using CustomerValue.Domain.Profiles;

namespace CustomerValue.Publishing.Destinations;

/// <summary>The destination kinds (<c>Destinations:&lt;name&gt;:Type</c>) and the consent each one requires.</summary>
public static class DestinationKinds
{
    /// <summary>Google Customer Match through the Data Manager API.</summary>
    public const string GoogleCustomerMatch = "google-customer-match";

    /// <summary>Meta Custom Audiences (and the value-based lookalike seed).</summary>
    public const string MetaCustomAudience = "meta-custom-audience";

    /// <summary>Klaviyo lists and profiles.</summary>
    public const string Klaviyo = "klaviyo";

    /// <summary>Signed (Standard Webhooks) HTTP POSTs of every joined/left event.</summary>
    public const string Webhook = "webhook";

    /// <summary>One CSV per segment in a blob container (locally a folder).</summary>
    public const string BlobFile = "blob-file";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [GoogleCustomerMatch, MetaCustomAudience, Klaviyo, Webhook, BlobFile];

    /// <summary>
    /// The consent a person must have given for this destination to receive them: ad platforms (and hashed audience
    /// files, which are made for ad platforms without an API) need <see cref="ConsentChannel.Ads"/>, e-mail tools
    /// <see cref="ConsentChannel.Email"/>; webhooks (profile ids only) and plain internal files need none.
    /// </summary>
    public static ConsentChannel? RequiredConsent(DestinationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Type switch
        {
            GoogleCustomerMatch or MetaCustomAudience => ConsentChannel.Ads,
            Klaviyo => ConsentChannel.Email,
            BlobFile when settings.Flag("Hashed", true) => ConsentChannel.Ads,
            _ => null,
        };
    }
}
