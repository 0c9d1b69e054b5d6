namespace CustomerValue.Segmentation.Segments;

/// <summary>
/// What a customer costs and earns beyond revenue (configuration section <c>Value</c>). The defaults make profit equal
/// predicted CLV, which is what the tiers ranked by before costs were configurable.
/// </summary>
public sealed class ValueOptions
{
    /// <summary>Gross margin as a share of net revenue (<c>Value:GrossMargin</c>), 0–1; default 1.</summary>
    public decimal GrossMargin { get; set; } = 1m;

    /// <summary>Cost to serve one order: picking, shipping, payment fees (<c>Value:CostPerOrder</c>); default 0.</summary>
    public decimal CostPerOrder { get; set; }

    /// <summary>Cost of handling one return (<c>Value:CostPerReturn</c>); default 0.</summary>
    public decimal CostPerReturn { get; set; }
}
