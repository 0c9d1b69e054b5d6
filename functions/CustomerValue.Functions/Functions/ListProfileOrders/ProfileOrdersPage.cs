using CustomerValue.Domain.Profiles;

namespace CustomerValue.Functions.Functions.ListProfileOrders;

/// <summary>One page of a profile's orders.</summary>
/// <param name="ProfileId">The live profile the id resolved to (an absorbed id answers with its survivor's orders).</param>
/// <param name="Orders">The orders of this page: each order's latest version, with its refunds.</param>
/// <param name="Continuation">Pass as <c>continuation</c> for the next page; absent after the last page.</param>
public sealed record ProfileOrdersPage(string ProfileId, IReadOnlyList<OrderRecord> Orders, string? Continuation);
