namespace CustomerValue.Segmentation.Segments;

/// <summary>The latest sign of life of a customer in one channel.</summary>
/// <param name="Channel">
/// <c>web</c>, <c>app</c>, <c>store</c> (sales or engagement) or <c>email</c> (engagement only): sales and engagement
/// share names so that a web order and a web visit count as one channel.
/// </param>
/// <param name="LastAt">The latest purchase or touch in the channel.</param>
public sealed record ChannelActivity(string Channel, DateTimeOffset LastAt);
