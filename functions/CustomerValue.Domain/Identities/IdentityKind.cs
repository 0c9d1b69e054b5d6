namespace CustomerValue.Domain.Identities;

/// <summary>The kinds of identifier that can link a record to a person.</summary>
public enum IdentityKind
{
    /// <summary>A customer id issued by one source, e.g. <c>shopify:my-shop:123</c>.</summary>
    SourceCustomer,

    /// <summary>An e-mail address, trimmed and lower-cased.</summary>
    Email,

    /// <summary>A phone number in E.164 form.</summary>
    Phone,

    /// <summary>A loyalty-programme member id, e.g. <c>loyalty:card:42</c>.</summary>
    Loyalty,
}
