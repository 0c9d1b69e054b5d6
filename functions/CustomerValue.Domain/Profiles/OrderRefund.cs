namespace CustomerValue.Domain.Profiles;

/// <summary>One refund on an order, in the shop currency.</summary>
/// <param name="RefundId">The source's id of the refund; unique within its order.</param>
/// <param name="Amount">Money returned, positive, in the order's <see cref="OrderRecord.Currency"/>.</param>
/// <param name="RefundedAt">When the refund was processed.</param>
public sealed record OrderRefund(string RefundId, decimal Amount, DateTimeOffset RefundedAt);
