namespace CustomerValue.Domain.Profiles;

/// <summary>Where a customer engaged without necessarily buying.</summary>
public enum EngagementChannel
{
    /// <summary>The web shop.</summary>
    Web,

    /// <summary>The shop's app.</summary>
    App,

    /// <summary>A marketing e-mail (open, click).</summary>
    Email,

    /// <summary>A physical store.</summary>
    Store,
}
