namespace CustomerValue.Domain.Profiles;

/// <summary>Whether a transaction is a purchase or money going back to the customer.</summary>
public enum OrderKind
{
    /// <summary>A purchase; counts towards purchase frequency.</summary>
    Sale,

    /// <summary>A standalone return (e.g. a POS return row); reduces net revenue, never counts as a purchase.</summary>
    Return,
}
