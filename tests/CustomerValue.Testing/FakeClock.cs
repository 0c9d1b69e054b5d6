namespace CustomerValue.Testing;

/// <summary>A clock the test moves by hand.</summary>
public sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = now;

    public FakeClock()
        : this(Start)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
