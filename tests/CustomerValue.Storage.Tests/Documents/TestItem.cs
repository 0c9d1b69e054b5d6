namespace CustomerValue.Storage.Tests.Documents;

/// <summary>The body the contract tests store: a label to tell versions apart and a counter to increment.</summary>
public sealed record TestItem(string Label, int Count = 0);
