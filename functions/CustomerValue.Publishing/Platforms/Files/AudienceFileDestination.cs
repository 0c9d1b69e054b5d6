using System.Globalization;
using System.Text;
using CustomerValue.Domain.Segments;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Destinations;

namespace CustomerValue.Publishing.Platforms.Files;

/// <summary>
/// <c>blob-file</c>: one CSV per segment (<c>&lt;segment&gt;.csv</c>) holding the segment's current members, for
/// platforms without an API. After each delivery the files of the segments that changed are rewritten: joins add
/// a row, leaves remove it, so the file always lists exactly who is in. <c>Hashed</c> (default true) writes
/// <c>profile_id,email_sha256,phone_sha256,predicted_clv</c>; <c>Hashed=false</c> writes plain
/// <c>profile_id,email,phone,predicted_clv</c> for internal use only.
/// </summary>
public sealed class AudienceFileDestination(DestinationSettings settings, IAudienceFileStore files) : IAudienceDestination
{
    private readonly bool _hashed = settings?.Flag("Hashed", true) ?? true;

    /// <inheritdoc />
    public DestinationSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <inheritdoc />
    public int MaxBatchSize => 100_000;

    /// <summary>The file that holds a segment.</summary>
    public static string FileName(string segment) => segment + ".csv";

    /// <inheritdoc />
    public async Task<DeliveryReport> SendAsync(IReadOnlyList<OutboundChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var segment in changes.GroupBy(c => c.Change.Segment, StringComparer.Ordinal))
        {
            var rows = Parse(await files.ReadAsync(FileName(segment.Key), cancellationToken));
            foreach (var change in segment)
            {
                if (change.Change.Kind == SegmentChangeKind.Joined)
                {
                    rows[change.Change.ProfileId] = Row(change);
                }
                else
                {
                    rows.Remove(change.Change.ProfileId);
                }
            }

            await files.WriteAsync(FileName(segment.Key), Render(rows), cancellationToken);
        }

        return new DeliveryReport(changes.Count, Detail: $"{changes.Select(c => c.Change.Segment).Distinct().Count()} files");
    }

    private string Header => _hashed ? "profile_id,email_sha256,phone_sha256,predicted_clv" : "profile_id,email,phone,predicted_clv";

    private string Row(OutboundChange change)
    {
        var r = change.Recipient;
        var clv = r.PredictedClv?.ToString("0.00", CultureInfo.InvariantCulture) ?? string.Empty;
        return _hashed
            ? string.Join(',', change.Change.ProfileId, First(r.EmailSha256), First(r.PhoneSha256), clv)
            : string.Join(',', change.Change.ProfileId, Quote(r.Email), Quote(r.Phone), clv);
    }

    private static string First(IReadOnlyList<string> values) => values.Count > 0 ? values[0] : string.Empty;

    private static string Quote(string? value) =>
        value is null ? string.Empty : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static SortedDictionary<string, string> Parse(string? text)
    {
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (text is null)
        {
            return rows;
        }

        // Our own files: the profile id (never quoted) leads each line.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0)
            {
                rows[line[..comma]] = line.TrimEnd('\r');
            }
        }

        return rows;
    }

    private string Render(SortedDictionary<string, string> rows)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var row in rows.Values)
        {
            text.Append(row).Append('\n');
        }

        return text.ToString();
    }
}
