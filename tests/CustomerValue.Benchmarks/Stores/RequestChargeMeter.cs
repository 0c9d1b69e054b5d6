using System.Globalization;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>The kinds of request the Cosmos DB SDK sends through the gateway.</summary>
internal enum CosmosRequestKind
{
    /// <summary>Read, create, replace, upsert or delete of one document.</summary>
    Document,

    /// <summary>A page of a query (the recompute's scan).</summary>
    Query,

    /// <summary>The SDK asking the gateway how to run a query.</summary>
    QueryPlan,

    /// <summary>A change-feed page.</summary>
    ChangeFeed,

    /// <summary>Account, database, container and partition-range metadata (the SDK caches it).</summary>
    Metadata,
}

/// <summary>
/// The HTTP handler under the Cosmos DB client (gateway mode sends every request through it): counts the requests
/// by kind and totals the <c>x-ms-request-charge</c> each response reports. Counting on the wire needs no change to
/// <see cref="CustomerValue.Storage.Azure.Cosmos.CosmosDocumentStore"/> (whose stream API calls drop the charge) and
/// also sees what the store cannot: the SDK's own retries and metadata reads.
/// </summary>
internal sealed class RequestChargeMeter : DelegatingHandler
{
    private const string ChargeHeader = "x-ms-request-charge";
    private static readonly int Kinds = Enum.GetValues<CosmosRequestKind>().Length;
    private readonly long[] _requests = new long[Kinds];
    private readonly long[] _charged = new long[Kinds];
    private readonly long[] _milliCharge = new long[Kinds];
    private readonly object _range = new();
    private double _minimum = double.PositiveInfinity;
    private double _maximum = double.NegativeInfinity;

    /// <summary>Creates the meter over the handler that does the sending.</summary>
    public RequestChargeMeter(HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
    }

    /// <summary>What has been counted so far.</summary>
    public RequestCharges Snapshot()
    {
        lock (_range)
        {
            // Aligned 64-bit reads are atomic; a request finishing meanwhile lands in this snapshot or the next.
            return new RequestCharges([.. _requests], [.. _charged], [.. _milliCharge], _minimum, _maximum);
        }
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var kind = (int)KindOf(request);
        var response = await base.SendAsync(request, cancellationToken);
        Interlocked.Increment(ref _requests[kind]);
        if (response.Headers.TryGetValues(ChargeHeader, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var charge))
        {
            Interlocked.Increment(ref _charged[kind]);
            Interlocked.Add(ref _milliCharge[kind], (long)Math.Round(charge * 1000));
            lock (_range)
            {
                _minimum = Math.Min(_minimum, charge);
                _maximum = Math.Max(_maximum, charge);
            }
        }

        return response;
    }

    private static CosmosRequestKind KindOf(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        if (!path.Contains("/docs", StringComparison.OrdinalIgnoreCase))
        {
            return CosmosRequestKind.Metadata;
        }

        if (IsTrue(request, "x-ms-cosmos-is-query-plan-request"))
        {
            return CosmosRequestKind.QueryPlan;
        }

        if (IsTrue(request, "x-ms-documentdb-isquery")
            || request.Content?.Headers.ContentType?.MediaType is "application/query+json")
        {
            return CosmosRequestKind.Query;
        }

        return request.Headers.Contains("A-IM") ? CosmosRequestKind.ChangeFeed : CosmosRequestKind.Document;
    }

    private static bool IsTrue(HttpRequestMessage request, string header) =>
        request.Headers.TryGetValues(header, out var values) && values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));
}

/// <summary>Requests and request charges seen by a <see cref="RequestChargeMeter"/>, indexed by <see cref="CosmosRequestKind"/>.</summary>
/// <param name="Requests">Responses received, by kind.</param>
/// <param name="Charged">Responses that carried a request charge, by kind.</param>
/// <param name="MilliCharge">The charges reported, in thousandths of a request unit, by kind.</param>
/// <param name="Minimum">The smallest charge one response reported (+∞: none).</param>
/// <param name="Maximum">The largest charge one response reported (−∞: none).</param>
internal sealed record RequestCharges(long[] Requests, long[] Charged, long[] MilliCharge, double Minimum, double Maximum)
{
    /// <summary>All responses.</summary>
    public long TotalRequests => Requests.Sum();

    /// <summary>The request units reported, all kinds together.</summary>
    public double TotalCharge => MilliCharge.Sum() / 1000.0;

    /// <summary>True when the server reported a charge on some response and it was not 0.</summary>
    public bool Reported => Charged.Sum() > 0 && TotalCharge > 0;

    /// <summary>
    /// True when every response reported exactly 1 RU: @vercel/cosmosdb-server stamps that on everything (reads,
    /// writes, 404s, query pages alike), a placeholder rather than a cost.
    /// </summary>
    public bool Flat => Reported && Minimum == 1 && Maximum == 1;

    /// <summary>Responses of one kind.</summary>
    public long Of(CosmosRequestKind kind) => Requests[(int)kind];

    /// <summary>The counts since <paramref name="before"/> (the charge range stays the run's).</summary>
    public RequestCharges Since(RequestCharges before) => this with
    {
        Requests = [.. Requests.Select((n, i) => n - before.Requests[i])],
        Charged = [.. Charged.Select((n, i) => n - before.Charged[i])],
        MilliCharge = [.. MilliCharge.Select((n, i) => n - before.MilliCharge[i])],
    };
}
