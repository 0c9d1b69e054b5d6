namespace CustomerValue.Storage.Tests.Documents;

/// <summary>The body the contract tests store: a label to tell versions apart and a counter to increment.</summary>
public sealed record TestItem(string Label, int Count = 0);

/// <summary>A body with an indexed array (<see cref="Storage.Documents.IndexedArrays.ProfileSegments"/>), for the query tests.</summary>
public sealed record SegmentedItem(string Label, IReadOnlyList<string> Segments);
