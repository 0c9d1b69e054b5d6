using System.CommandLine;

namespace CustomerValue.Benchmarks;

/// <summary>Validation shared by the benchmark commands' options.</summary>
internal static class BenchOptionRules
{
    /// <summary>Refuses a value outside [<paramref name="min"/>, <paramref name="max"/>] with a message naming the option.</summary>
    public static void Range(Option<int> option, int min, int max) =>
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is var value && (value < min || value > max))
            {
                r.AddError($"{option.Name} must be between {min:N0} and {max:N0}.");
            }
        });

    /// <summary>The same for an optional value; absent is fine.</summary>
    public static void Range(Option<int?> option, int min, int max) =>
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } value && (value < min || value > max))
            {
                r.AddError($"{option.Name} must be between {min:N0} and {max:N0}.");
            }
        });
}
