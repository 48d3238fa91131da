namespace XRay.Cli.Commands;

/// <summary>
/// Value checks the parser cannot express (a positive count, one of a few names). A failed check is an
/// <see cref="ArgumentException"/>, so <see cref="ExpectedErrors"/> prints it as one line naming the option.
/// </summary>
internal static class OptionChecks
{
    public static int Positive(int value, string option) =>
        value > 0 ? value : throw new ArgumentException($"{option} must be a positive number, got {value}.");

    public static double Positive(double value, string option) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{option} must be a positive number, got {value}.");

    public static double NonNegative(double value, string option) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{option} must be 0 or more, got {value}.");

    /// <summary>The choice named <paramref name="value"/> (case-insensitive), or an error listing the choices.</summary>
    public static T OneOf<T>(string value, string option, IReadOnlyDictionary<string, T> choices) =>
        choices.TryGetValue(value.ToLowerInvariant(), out var choice)
            ? choice
            : throw new ArgumentException($"{option} '{value}' is not one of: {string.Join(", ", choices.Keys)}.");
}
