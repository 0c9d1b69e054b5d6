using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;

namespace CustomerValue.Identity.Resolution;

/// <summary>How a record's facts and another profile's facts are folded into a profile.</summary>
public static class ProfileFacts
{
    /// <summary>
    /// Adds the record's normalized identities, names and order version (written with <paramref name="stamp"/> when it
    /// changes the order); returns true when anything changed.
    /// </summary>
    internal static bool Apply(CustomerProfile profile, CustomerActivity activity, IEnumerable<IdentityKey> keys, OrderChanges orders, string? stamp = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(activity);
        var changed = AddIdentities(profile, keys);
        changed |= SetName(profile.FirstName, profile.FirstNameAt, activity.FirstName, activity.OccurredAt, (name, at) => (profile.FirstName, profile.FirstNameAt) = (name, at));
        changed |= SetName(profile.LastName, profile.LastNameAt, activity.LastName, activity.OccurredAt, (name, at) => (profile.LastName, profile.LastNameAt) = (name, at));
        if (activity.Order is not null)
        {
            changed |= orders.Apply(profile, activity.Order, stamp);
        }

        changed |= ApplySignals(profile, activity.Consents ?? [], activity.Nps, activity.Loyalty);
        if (activity.Touch is not null)
        {
            var engagement = profile.Engagement.With(activity.Touch);
            changed |= !ReferenceEquals(engagement, profile.Engagement);
            profile.Engagement = engagement;
        }

        return changed;
    }

    /// <summary>
    /// Consent, NPS and loyalty: the latest decision (by its own timestamp) wins, so late or repeated records never
    /// roll a newer state back.
    /// </summary>
    public static bool ApplySignals(CustomerProfile profile, IEnumerable<ConsentChange> consents, NpsAnswer? nps, LoyaltyMembership? loyalty)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(consents);
        var changed = false;
        foreach (var consent in consents)
        {
            var held = profile.Consent.FindIndex(c => c.Channel == consent.Channel);
            if (held < 0)
            {
                profile.Consent.Add(consent);
                profile.Consent.Sort((x, y) => x.Channel.CompareTo(y.Channel));
                changed = true;
            }
            else if (consent.ChangedAt > profile.Consent[held].ChangedAt)
            {
                profile.Consent[held] = consent;
                changed = true;
            }
        }

        if (nps is not null && (profile.Nps is null || nps.AnsweredAt > profile.Nps.AnsweredAt))
        {
            profile.Nps = nps;
            changed = true;
        }

        if (loyalty is not null && (profile.Loyalty is null || loyalty.ChangedAt > profile.Loyalty.ChangedAt))
        {
            profile.Loyalty = loyalty;
            changed = true;
        }

        return changed;
    }

    /// <summary>Adds identities to the profile's lists; returns true when one was new.</summary>
    public static bool AddIdentities(CustomerProfile profile, IEnumerable<IdentityKey> keys)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(keys);
        var changed = false;
        foreach (var key in keys)
        {
            changed |= CustomerProfile.AddDistinct(ListFor(profile, key.Kind), key.Value);
        }

        return changed;
    }

    /// <summary>The identity keys a profile holds.</summary>
    public static IEnumerable<IdentityKey> KeysOf(CustomerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.SourceCustomerIds.Select(v => new IdentityKey(IdentityKind.SourceCustomer, v))
            .Concat(profile.LoyaltyIds.Select(v => new IdentityKey(IdentityKind.Loyalty, v)))
            .Concat(profile.Emails.Select(v => new IdentityKey(IdentityKind.Email, v)))
            .Concat(profile.Phones.Select(v => new IdentityKey(IdentityKind.Phone, v)));
    }

    /// <summary>
    /// Folds <paramref name="absorbed"/> into <paramref name="survivor"/>: identities, signals, names and the merge
    /// history (its orders are moved by <see cref="ProfileMerger"/>, which counts them into the survivor's totals).
    /// Idempotent: absorbing the same profile twice changes nothing the second time.
    /// </summary>
    public static bool Absorb(CustomerProfile survivor, CustomerProfile absorbed, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(survivor);
        ArgumentNullException.ThrowIfNull(absorbed);
        var changed = AddIdentities(survivor, KeysOf(absorbed));

        changed |= ApplySignals(survivor, absorbed.Consent, absorbed.Nps, absorbed.Loyalty);
        var engagement = survivor.Engagement.Union(absorbed.Engagement);
        if (!engagement.Channels.SequenceEqual(survivor.Engagement.Channels) || !engagement.Devices.SequenceEqual(survivor.Engagement.Devices)
            || engagement.LastTouchAt != survivor.Engagement.LastTouchAt)
        {
            survivor.Engagement = engagement;
            changed = true;
        }

        changed |= SetName(survivor.FirstName, survivor.FirstNameAt, absorbed.FirstName, absorbed.FirstNameAt ?? DateTimeOffset.MinValue, (name, at) => (survivor.FirstName, survivor.FirstNameAt) = (name, at));
        changed |= SetName(survivor.LastName, survivor.LastNameAt, absorbed.LastName, absorbed.LastNameAt ?? DateTimeOffset.MinValue, (name, at) => (survivor.LastName, survivor.LastNameAt) = (name, at));

        foreach (var merge in absorbed.Merges.Append(new ProfileMerge(absorbed.Id, now, reason)))
        {
            if (!survivor.Merges.Exists(m => m.MergedProfileId == merge.MergedProfileId))
            {
                survivor.Merges.Add(merge);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Empties a profile into a redirect to the survivor.</summary>
    public static void MakeRedirect(CustomerProfile absorbed, string survivorId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(absorbed);
        absorbed.MergedInto = survivorId;
        absorbed.SourceCustomerIds.Clear();
        absorbed.Emails.Clear();
        absorbed.Phones.Clear();
        absorbed.LoyaltyIds.Clear();
        absorbed.OrderTotals = new OrderTotals();
        absorbed.LegacyOrderHistory = null;
        absorbed.FirstName = null;
        absorbed.LastName = null;
        absorbed.Value = null;
        absorbed.Segments = [];
        absorbed.Consent.Clear();
        absorbed.Nps = null;
        absorbed.Loyalty = null;
        absorbed.Engagement = new CustomerEngagement();
        absorbed.UpdatedAt = now;
    }

    /// <summary>
    /// Each part of a name is a last-writer-wins register: the value of the record that occurred last wins (by when it
    /// occurred, not when it arrived), and on equal times the ordinally greater value. So a retried or reordered record
    /// never rolls a name back, and the same records in any order, or merged in either direction, leave the same name.
    /// </summary>
    private static bool SetName(string? held, DateTimeOffset? heldAt, string? incoming, DateTimeOffset at, Action<string, DateTimeOffset> set)
    {
        if (string.IsNullOrWhiteSpace(incoming))
        {
            return false;
        }

        incoming = incoming.Trim();
        var since = held is null ? (DateTimeOffset?)null : heldAt ?? DateTimeOffset.MinValue;
        var wins = since is null || at > since || (at == since && string.CompareOrdinal(incoming, held) > 0);
        if (!wins)
        {
            return false;
        }

        set(incoming, at);
        return incoming != held || at != since;
    }

    private static List<string> ListFor(CustomerProfile profile, IdentityKind kind) => kind switch
    {
        IdentityKind.Email => profile.Emails,
        IdentityKind.Phone => profile.Phones,
        IdentityKind.Loyalty => profile.LoyaltyIds,
        _ => profile.SourceCustomerIds,
    };
}
