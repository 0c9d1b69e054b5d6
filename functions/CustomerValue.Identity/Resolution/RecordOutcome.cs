namespace CustomerValue.Identity.Resolution;

/// <summary>What one record of a batch did to the profiles.</summary>
public enum RecordOutcome
{
    /// <summary>It named nobody (and no known order): an anonymous sale, no profile touched.</summary>
    Anonymous,

    /// <summary>
    /// It created or changed a profile (or had, under the same <see cref="Domain.Profiles.OrderRecord.AppliedBy"/>, in an
    /// attempt that was interrupted).
    /// </summary>
    Changed,

    /// <summary>Its facts were already there: a duplicate, or an older version of an order.</summary>
    Unchanged,
}
