using XRay.Data;
using XRay.Models;

namespace XRay.Cli.Commands;

/// <summary>
/// Value checks the parser cannot express (a positive count, one of a few names), shared by every command that has
/// the option. A failed check is a <see cref="UsageException"/>, so <see cref="ExpectedErrors"/> prints it as one line
/// naming the option and exits with <see cref="ExitCodes.Usage"/>.
/// </summary>
internal static class OptionChecks
{
    public static int Positive(int value, string option) =>
        value > 0 ? value : throw new UsageException($"{option} must be a positive number, got {value}.");

    public static double Positive(double value, string option) =>
        value > 0 && double.IsFinite(value) ? value : throw new UsageException($"{option} must be a positive number, got {value}.");

    public static int NonNegative(int value, string option) =>
        value >= 0 ? value : throw new UsageException($"{option} must be 0 or more, got {value}.");

    public static double NonNegative(double value, string option) =>
        value >= 0 && double.IsFinite(value) ? value : throw new UsageException($"{option} must be 0 or more, got {value}.");

    /// <summary>--val-split: the stratified fraction of train held out when val/ is missing or tiny.</summary>
    public static double ValidationFraction(double value, string option = "--val-split") =>
        value is >= 0 and < 1 ? value : throw new UsageException($"{option} must be at least 0 and below 1, got {value}.");

    /// <summary>--channels: 1 grayscale, 3 RGB.</summary>
    public static ColorMode Channels(int value, string option = "--channels") => value switch
    {
        1 => ColorMode.Grayscale,
        3 => ColorMode.Rgb,
        _ => throw new UsageException($"{option} must be 1 (grayscale) or 3 (RGB), got {value}."),
    };

    /// <summary>--arch: one of <see cref="ModelFactory.Architectures"/>.</summary>
    public static string Architecture(string value, string option = "--arch") =>
        ModelFactory.Architectures.Contains(value)
            ? value
            : throw new UsageException($"Unknown architecture '{value}' for {option}; choose one of: {string.Join(", ", ModelFactory.Architectures)}.");

    /// <summary>
    /// Runs a library check of option values (it throws <see cref="ArgumentException"/> naming the option): a value
    /// it refuses is a usage error like the checks here.
    /// </summary>
    public static T Library<T>(Func<T> check)
    {
        try
        {
            return check();
        }
        catch (ArgumentException e) when (e is not UsageException)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>The choice named <paramref name="value"/> (case-insensitive), or an error listing the choices.</summary>
    public static T OneOf<T>(string value, string option, IReadOnlyDictionary<string, T> choices) =>
        choices.TryGetValue(value.ToLowerInvariant(), out var choice)
            ? choice
            : throw new UsageException($"{option} '{value}' is not one of: {string.Join(", ", choices.Keys)}.");
}
