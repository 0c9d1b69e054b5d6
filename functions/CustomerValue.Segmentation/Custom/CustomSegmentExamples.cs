namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// The three example custom segments of SEGMENTS.md as a YAML definitions file, for the demo to load (a test keeps this
/// text and the document's YAML block equal).
/// </summary>
public static class CustomSegmentExamples
{
    /// <summary>"Win back lapsed store customers", "grow app engagement of top customers", "detractors with high value".</summary>
    public const string Yaml = """
        segments:
          - name: win-back-lapsed-store
            goal: "Win back store customers who stopped buying: 10 % of them buy again this quarter"
            rule: "'store' in channels && ('dormant' in segments || timestamp(lastOrderAt) < now - duration('4320h'))"
            kpis:
              - { metric: size, target: 200 }
              - { metric: repeatPurchaseRate, target: 0.3 }
            destinations: [klaviyo, meta]
            holdoutShare: 0.1
          - name: grow-app-top
            goal: "Grow app engagement of top customers: 50 of them start using the app each run"
            rule: "'top-20' in segments && !('app' in channels) && !('app' in engagement.channels)"
            kpis:
              - { metric: left, target: 50, comparison: atLeast }
            destinations: [meta, google-ads]
            holdoutShare: 0.05
          - name: detractors-high-value
            goal: "Service recovery: call valuable customers who are unhappy before they leave"
            rule: "nps != null && nps.score <= 6 && value != null && value.predictedClv >= 300"
            kpis:
              - { metric: averageNps, target: 7 }
              - { metric: size, target: 20, comparison: atMost }
            destinations: [zendesk]
        """;
}
