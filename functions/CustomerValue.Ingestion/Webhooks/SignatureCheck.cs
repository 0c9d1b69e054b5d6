namespace CustomerValue.Ingestion.Webhooks;

/// <summary>The outcome of checking a webhook's signature.</summary>
public enum SignatureCheck
{
    /// <summary>Signed with a configured secret (or a WooCommerce ping, which is never signed and carries no data).</summary>
    Valid,

    /// <summary>A signature header is absent; answer 401.</summary>
    Missing,

    /// <summary>The signature does not match the body; answer 401.</summary>
    Invalid,

    /// <summary>Signed correctly but the timestamp is more than five minutes from now (a replay); answer 401.</summary>
    Expired,

    /// <summary>No secret is configured for the platform or the sending shop: a setup problem on our side.</summary>
    NotConfigured,
}
