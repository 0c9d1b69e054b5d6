using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Custom;
using static CustomerValue.Segmentation.Tests.Segments.SegmentShop;

namespace CustomerValue.Segmentation.Tests.Custom;

public sealed class CustomSegmentsTests
{
    private static CustomerProfile Profile(string id, SalesChannel channel, double lastOrderDaysAgo, decimal clv = 100m, int? nps = null, EngagementChannel[]? touches = null) => new()
    {
        Id = id,
        OrderTotals = OrderTotals.Of(
        [
            new OrderRecord { OrderKey = id + "-1", PlacedAt = DaysAgo(lastOrderDaysAgo + 100), VersionAt = DaysAgo(lastOrderDaysAgo + 100), Gross = 50m, Channel = channel, AcquisitionChannel = "google/cpc" },
            new OrderRecord { OrderKey = id + "-2", PlacedAt = DaysAgo(lastOrderDaysAgo), VersionAt = DaysAgo(lastOrderDaysAgo), Gross = 70m, Channel = channel },
        ]),
        Nps = nps is { } score ? new NpsAnswer(score, DaysAgo(3)) : null,
        Engagement = touches is null ? new() : new CustomerEngagement { Channels = touches, LastTouchAt = DaysAgo(1) },
        Value = new CustomerValueScore { RunId = "run-1", Method = "bgnbd+gammagamma", PredictedClv = clv, PAlive = 0.8, ExpectedPurchases = 2 },
    };

    private static bool IsMember(CustomSegment segment, CustomerProfile profile, params string[] builtIn) =>
        segment.Evaluate(profile.Id, ProfileVariables.Of(profile, AsOf, builtIn), out _) is not null;

    [Fact]
    public void Examples_WinBackLapsedStoreCustomers_TakesStoreBuyersWhoAreDormantOrSilentForHalfAYear()
    {
        var segment = CustomSegmentDefinitions.Parse(ExampleDefinitions.Json).Single(s => s.Name == "win-back-lapsed-store");

        Assert.True(IsMember(segment, Profile("lapsed", SalesChannel.Store, 200)));
        Assert.True(IsMember(segment, Profile("dormant", SalesChannel.Store, 20), "dormant"));
        Assert.False(IsMember(segment, Profile("recent", SalesChannel.Store, 20)));
        Assert.False(IsMember(segment, Profile("web-only", SalesChannel.Online, 200)));
        Assert.False(IsMember(segment, new CustomerProfile { Id = "no-orders" }));
    }

    [Fact]
    public void Examples_GrowAppEngagementOfTopCustomers_TakesTopCustomersNotYetInTheApp()
    {
        var segment = CustomSegmentDefinitions.Parse(ExampleDefinitions.Json).Single(s => s.Name == "grow-app-top");

        Assert.True(IsMember(segment, Profile("top-web", SalesChannel.Online, 5, touches: [EngagementChannel.Email]), "top-20"));
        Assert.False(IsMember(segment, Profile("top-app-buyer", SalesChannel.App, 5), "top-20"));
        Assert.False(IsMember(segment, Profile("top-app-user", SalesChannel.Online, 5, touches: [EngagementChannel.App]), "top-20"));
        Assert.False(IsMember(segment, Profile("middle", SalesChannel.Online, 5), "middle-60"));
    }

    [Fact]
    public void Examples_DetractorsWithHighValue_TakesUnhappyValuableCustomers()
    {
        var segment = CustomSegmentDefinitions.Parse(ExampleDefinitions.Json).Single(s => s.Name == "detractors-high-value");

        Assert.True(IsMember(segment, Profile("angry-vip", SalesChannel.Online, 5, clv: 450m, nps: 4)));
        Assert.False(IsMember(segment, Profile("angry-small", SalesChannel.Online, 5, clv: 80m, nps: 4)));
        Assert.False(IsMember(segment, Profile("happy-vip", SalesChannel.Online, 5, clv: 450m, nps: 9)));
        Assert.False(IsMember(segment, Profile("silent-vip", SalesChannel.Online, 5, clv: 450m)));
        Assert.False(IsMember(segment, new CustomerProfile { Id = "unscored", Nps = new NpsAnswer(2, DaysAgo(1)) }));
    }

    [Fact]
    public void Evaluate_Member_ExplainsWithTheFieldsTheRuleRead()
    {
        var segment = CustomSegmentDefinitions.Parse(ExampleDefinitions.Json).Single(s => s.Name == "detractors-high-value");
        var profile = Profile("angry-vip", SalesChannel.Online, 5, clv: 450.5m, nps: 4);

        var match = segment.Evaluate(profile.Id, ProfileVariables.Of(profile, AsOf), out var error);

        Assert.Null(error);
        Assert.Equal("nps.score 4; value.predictedClv 450.5", match?.Reason);
        Assert.Equal(["channels", "segments", "lastOrderAt"], CelRule.Compile("'store' in channels && ('dormant' in segments || timestamp(lastOrderAt) < now - duration('4320h'))").Fields);
        Assert.Equal(["orderTotals.channels"], CelRule.Compile("orderTotals.channels.exists(c, c.purchases > 1)").Fields);
    }

    [Fact]
    public void Variables_OnlyTheFieldsTheRulesRead_GiveTheSameVerdictsAsTheWholeProfile()
    {
        var segments = CustomSegmentDefinitions.Parse(ExampleDefinitions.Json);
        var roots = ProfileVariables.RootsOf(segments.Select(s => s.Rule));
        CustomerProfile[] profiles =
        [
            Profile("lapsed", SalesChannel.Store, 200), Profile("angry-vip", SalesChannel.Online, 5, clv: 450m, nps: 4),
            Profile("top-web", SalesChannel.Online, 5, touches: [EngagementChannel.Email]), new CustomerProfile { Id = "empty" },
        ];

        foreach (var profile in profiles)
        {
            var whole = ProfileVariables.Of(profile, AsOf, ["top-20"]);
            var some = ProfileVariables.Of(profile, AsOf, ["top-20"], roots);
            Assert.Equal(segments.Select(s => s.Evaluate(profile.Id, whole, out _)), segments.Select(s => s.Evaluate(profile.Id, some, out _)));
        }

        Assert.Equal(["channels", "segments", "lastOrderAt", "engagement", "nps", "value"], roots);
    }

    [Fact]
    public void Evaluate_FromTheStoredJson_GivesTheSameMembersAndReasonsAsTheWholeProfile()
    {
        // The recompute evaluates from the document as stored, with a profile read without identities and names, and
        // converts only the fields a rule reaches: members and reasons must be those of the whole profile.
        const string json = """
            { "segments": [
              { "name": "win-back", "goal": "g", "rule": "'store' in channels && ('dormant' in segments || timestamp(lastOrderAt) < now - duration('4320h'))" },
              { "name": "app-top", "goal": "g", "rule": "'top-20' in segments && !('app' in channels) && !('app' in engagement.channels)" },
              { "name": "angry-vip", "goal": "g", "rule": "nps != null && nps.score <= 6 && value != null && value.predictedClv >= 300" },
              { "name": "known", "goal": "g", "rule": "size(emails) > 0 && firstName == 'Ada' && orderTotals.channels.exists(c, c.purchases >= 2)" }
            ] }
            """;
        var evaluator = new CustomSegmentEvaluator(CustomSegmentDefinitions.Parse(json));
        CustomerProfile Named(CustomerProfile p)
        {
            p.FirstName = "Ada";
            p.Emails.Add("ada@example.com");
            return p;
        }

        CustomerProfile[] profiles =
        [
            Profile("lapsed", SalesChannel.Store, 200), Named(Profile("angry-vip", SalesChannel.Online, 5, clv: 450m, nps: 4)),
            Named(Profile("top-web", SalesChannel.Store, 5, touches: [EngagementChannel.Email])), new CustomerProfile { Id = "empty" },
        ];
        var score = new CustomerValueScore { RunId = "run-2", Method = "bgnbd+gammagamma", PredictedClv = 310.5m, PAlive = 0.7, ExpectedPurchases = 1.5 };

        foreach (var profile in profiles)
        {
            var stored = System.Text.Json.JsonSerializer.SerializeToElement(profile, CustomerValue.Storage.Documents.DocumentJson.Options);
            var withoutIdentities = new CustomerProfile { Id = profile.Id, OrderTotals = profile.OrderTotals, Engagement = profile.Engagement, Nps = profile.Nps };
            var expected = evaluator.Evaluate(profile.Id, evaluator.Capture(profile), score, ["top-20"], AsOf);

            var actual = evaluator.Evaluate(profile.Id, stored, withoutIdentities, score, ["top-20"], AsOf);

            Assert.Equal(expected, actual);
        }

        // A document without a field (written before the field existed) reads as a profile read from it: the default.
        var named = profiles[2];
        var old = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(named, CustomerValue.Storage.Documents.DocumentJson.Options))!.AsObject();
        old.Remove("emails");
        var oldProfile = System.Text.Json.JsonSerializer.Deserialize<CustomerProfile>(old, CustomerValue.Storage.Documents.DocumentJson.Options)!;
        var fromOld = evaluator.Evaluate(named.Id, System.Text.Json.JsonSerializer.SerializeToElement(old), new CustomerProfile { Id = named.Id, OrderTotals = named.OrderTotals },
            score, ["top-20"], AsOf);
        Assert.Equal(evaluator.Evaluate(named.Id, evaluator.Capture(oldProfile), score, ["top-20"], AsOf), fromOld);
        Assert.Contains(fromOld, m => m.Segment == "app-top");
        Assert.DoesNotContain(fromOld, m => m.Segment == "known");
        Assert.Contains(evaluator.Evaluate(named.Id, evaluator.Capture(named), score, ["top-20"], AsOf), m => m.Segment == "known");
    }

    [Fact]
    public void Evaluate_FromManyThreadsAtOnce_GivesTheSameVerdictsAsOneThread()
    {
        // The recompute evaluates custom segments in parallel across profiles with one compiled rule.
        var segment = CustomSegmentDefinitions.Parse(ExampleDefinitions.Json).Single(s => s.Name == "win-back-lapsed-store");
        var variables = Enumerable.Range(0, 4000)
            .Select(i => ProfileVariables.Of(Profile($"cp-{i}", i % 3 == 0 ? SalesChannel.Store : SalesChannel.App, i % 400), AsOf, i % 7 == 0 ? ["dormant"] : []))
            .ToList();
        var sequential = variables.Select(v => segment.Rule.Evaluate(v)).ToList();

        var parallel = new RuleOutcome[variables.Count];
        Parallel.For(0, variables.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = segment.Rule.Evaluate(variables[i]));

        Assert.Equal(sequential, parallel);
        Assert.Contains(sequential, o => o.IsMember);
    }

    [Fact]
    public void Schema_IsTheProfileJson_WithComputedFieldsAndWithoutIgnoredOnes()
    {
        var fields = ProfileSchema.Profile.Fields;

        Assert.Contains("orders", fields.Keys);
        Assert.Contains("acquisitionChannel", fields.Keys);
        Assert.Equal(SchemaKind.List, fields["channels"].Kind);
        Assert.Contains("pAlive", fields["value"].Fields.Keys);
        Assert.Contains("purchases", fields["orderTotals"].Fields["channels"].Element!.Fields.Keys);
        Assert.DoesNotContain("isRedirect", fields.Keys);
        Assert.Throws<RuleException>(() => CelRule.Compile("isErased == false"));
    }

    [Fact]
    public void Rule_FromTheIssue_EvaluatesOverTheProfileJson()
    {
        var rule = CelRule.Compile("value.predictedClv >= 300 && 'store' in channels && acquisitionChannel.startsWith('google/') && orderTotals.kept == 2 && orders > 1");

        Assert.True(rule.Evaluate(ProfileVariables.Of(Profile("a", SalesChannel.Store, 5, clv: 300m), AsOf)).IsMember);
        Assert.False(rule.Evaluate(ProfileVariables.Of(Profile("b", SalesChannel.Store, 5, clv: 299.99m), AsOf)).IsMember);
    }

    [Fact]
    public void Rule_WithConstantDurationsAndTimestamps_EvaluatesAsWrittenAndExplainsOnlyProfileFields()
    {
        const string text = "timestamp(lastOrderAt) < now - duration('2400h') && timestamp(firstOrderAt) > timestamp(\"2000-01-01T00:00:00Z\")";
        var rule = CelRule.Compile(text);
        var lapsed = ProfileVariables.Of(Profile("a", SalesChannel.Store, 150), AsOf);
        var recent = ProfileVariables.Of(Profile("b", SalesChannel.Store, 50), AsOf);

        Assert.True(rule.Evaluate(lapsed).IsMember);
        Assert.False(rule.Evaluate(recent).IsMember);
        Assert.Null(rule.Evaluate(recent).Error);
        Assert.Equal(text, rule.Text);
        Assert.Equal(["lastOrderAt", "firstOrderAt"], rule.Fields);
        Assert.DoesNotContain("hoisted", rule.Explain(lapsed), StringComparison.Ordinal);
        Assert.True(rule.Evaluate(new Dictionary<string, object?>(lapsed).AsReadOnly()).IsMember);
    }

    [Fact]
    public void Rule_MacrosOverOrders_CheckTheElementFields()
    {
        var rule = CelRule.Compile("orderTotals.channels.exists(c, c.purchases >= 2 && c.channel == 'store')");

        Assert.True(rule.Evaluate(ProfileVariables.Of(Profile("a", SalesChannel.Store, 5), AsOf)).IsMember);
        Assert.False(rule.Evaluate(ProfileVariables.Of(Profile("b", SalesChannel.App, 5), AsOf)).IsMember);
        var error = Assert.Throws<RuleException>(() => CelRule.Compile("orderTotals.channels.exists(c, c.purchasess > 1)"));
        Assert.Equal("line 1, column 34: unknown field 'purchasess'", error.Message);
    }

    [Theory]
    [InlineData("valu.predictedClv > 1", 1, 1, "unknown field 'valu'")]
    [InlineData("value.predictedCLV > 1", 1, 7, "unknown field 'predictedCLV'")]
    [InlineData("orders > 1 &&\n  nps.scor > 5", 2, 7, "unknown field 'scor'")]
    [InlineData("value.predictedClv >= ", 1, 23, "mismatched input '<EOF>'")]
    [InlineData("orders > 1 &&& orders < 5", 1, 14, "token recognition error at: '& '")]
    [InlineData("acquisitionChannel.matches('goo+gle')", 1, 20, "function 'matches' is not allowed in segment rules")]
    [InlineData("exec('rm')", 1, 1, "function 'exec' is not allowed in segment rules")]
    [InlineData("emails.all(a, emails.all(b, emails.all(c, true)))", 1, 36, "list macros nest more than 2 deep")]
    [InlineData("  ", 1, 1, "the rule is empty")]
    public void Compile_RefusesABadRule_NamingThePosition(string text, int line, int column, string problem)
    {
        var error = Assert.Throws<RuleException>(() => CelRule.Compile(text));

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ARuleThatFailsOnAProfile_AdmitsNobodyAndSaysWhy()
    {
        var rule = CelRule.Compile("nps.score > 5");

        var outcome = rule.Evaluate(ProfileVariables.Of(new CustomerProfile { Id = "x" }, AsOf));

        Assert.False(outcome.IsMember);
        Assert.NotNull(outcome.Error);
    }

    [Fact]
    public void Definitions_AFileWithMistakes_IsRefusedWithEveryProblem()
    {
        const string json = """
            { "segments": [
              { "name": "dormant", "goal": "x", "rule": "orders > 1" },
              { "name": "Bad Name", "goal": "", "rule": "orders >", "kpis": [{ "metric": "revenue", "target": 1 }], "holdoutShare": 0.9 },
              { "name": "ok", "goal": "x", "rule": "orders > 1", "destinations": [""] },
              { "name": "ok", "goal": "y", "rule": "orders > 2" }
            ] }
            """;

        var error = Assert.Throws<CustomSegmentException>(() => CustomSegmentDefinitions.Parse(json));

        Assert.Equal(
        [
            "segments[0] (dormant).name: 'dormant' is a built-in segment and cannot be redefined",
            "segments[1] (Bad Name).name: use 1 to 64 lower-case letters, digits and hyphens, starting with a letter or digit",
            "segments[1] (Bad Name).goal: say in words what the segment is meant to achieve",
            "segments[1] (Bad Name).rule: line 1, column 9: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
            "segments[1] (Bad Name).kpis[0].metric: 'revenue' is not one of size, shareOfBuyers, netRevenue12Months, averagePredictedClv, totalPredictedClv, averagePAlive, repeatPurchaseRate, returnRate, averageNps, entered, left",
            "segments[1] (Bad Name).holdoutShare: must be between 0 and 0.5",
            "segments[2] (ok).destinations[0]: empty destination name",
            "segments[3] (ok).name: 'ok' is defined twice",
        ], error.Problems);
    }

    [Fact]
    public void Definitions_MalformedJson_NamesTheLine()
    {
        var error = Assert.Throws<CustomSegmentException>(() => CustomSegmentDefinitions.Parse("{ \"segments\": [\n { \"name\": \"a\", }\n] }"));

        Assert.StartsWith("line 2, column ", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Holdout_IsStableAndCloseToTheShare()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => $"cp-{i}").ToList();

        var held = ids.Count(id => CustomSegment.IsHoldout("win-back", id, 0.1));

        Assert.InRange(held, 150, 250);
        Assert.Equal(ids.Select(id => CustomSegment.IsHoldout("win-back", id, 0.1)), ids.Select(id => CustomSegment.IsHoldout("win-back", id, 0.1)));
        Assert.False(CustomSegment.IsHoldout("win-back", "cp-1", 0));
    }

    [Fact]
    public void Evaluate_MarksHeldOutMembers()
    {
        var segment = CustomSegment.Create(new CustomSegmentDefinition { Name = "all-buyers", Goal = "g", Rule = "orders > 0", HoldoutShare = 0.5 });
        var profiles = Enumerable.Range(0, 200).Select(i => Profile($"cp-{i}", SalesChannel.Online, 5)).ToList();

        var matches = profiles.Select(p => segment.Evaluate(p.Id, ProfileVariables.Of(p, AsOf), out _)!).ToList();

        Assert.All(matches, m => Assert.Equal("orders 2", m.Reason));
        Assert.InRange(matches.Count(m => m.Holdout), 70, 130);
    }
}
