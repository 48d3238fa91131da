namespace XRay.Training.Experiments;

/// <summary>
/// One row of the comparison: a name, its settings (the baseline's with one change) and, where seed 003 has one, the seed's
/// row it stands for. <see cref="SeedNote"/> says what else the seed's row changed, when it changed more than one thing.
/// </summary>
public sealed record ExperimentRow(string Name, ExperimentSettings Settings)
{
    public Seed003Row? Seed003 { get; init; }

    public string? SeedNote { get; init; }
}
