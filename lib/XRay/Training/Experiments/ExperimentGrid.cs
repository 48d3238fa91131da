using XRay.Models;

namespace XRay.Training.Experiments;

/// <summary>
/// A baseline and rows that each change exactly one of its settings, so that a row's difference from the baseline has
/// one cause. The constructor rejects a row that changes nothing or more than one thing.
/// </summary>
public sealed class ExperimentGrid
{
    public ExperimentGrid(ExperimentRow baseline, IEnumerable<ExperimentRow> variations)
    {
        Baseline = baseline;
        var rows = new List<ExperimentRow> { baseline };
        foreach (var row in variations)
        {
            var changes = row.Settings.DifferencesFrom(baseline.Settings);
            if (changes.Count != 1)
                throw new ArgumentException(changes.Count == 0
                    ? $"Row '{row.Name}' changes nothing against the baseline '{baseline.Name}'."
                    : $"Row '{row.Name}' changes {changes.Count} things against the baseline '{baseline.Name}' ({string.Join("; ", changes)}); change one per row.",
                    nameof(variations));
            if (rows.Any(r => r.Name == row.Name)) throw new ArgumentException($"Two rows are named '{row.Name}'.", nameof(variations));
            rows.Add(row);
        }
        Rows = rows;
    }

    public ExperimentRow Baseline { get; }

    /// <summary>The baseline first, then the variations in order.</summary>
    public IReadOnlyList<ExperimentRow> Rows { get; }

    /// <summary>What <paramref name="row"/> changes against the baseline ("" for the baseline itself).</summary>
    public string Change(ExperimentRow row) => string.Join("; ", row.Settings.DifferencesFrom(Baseline.Settings));

    /// <summary>
    /// Seed 003's table as one-change rows against its CNN row (<paramref name="baseline"/>, scaled by the caller):
    /// MLP; the larger size (<paramref name="largeSize"/>, the seed's 210 px); batch 40; more epochs
    /// (<paramref name="longEpochs"/>, the seed's 100 against 40); lr 2e-5; L1 and L2 at 5e-7; dropout 5 %;
    /// augmentation; early stopping; and, with <paramref name="includeVgg19"/>, VGG19.
    /// </summary>
    public static ExperimentGrid Seed003(ExperimentSettings baseline, int largeSize, int longEpochs, bool includeVgg19 = false,
        int earlyStoppingPatience = 3)
    {
        var t = Seed003Row.Table;
        const string at210 = "the seed's row is also at 210 px and lr 2e-5";
        var rows = new List<ExperimentRow>
        {
            new("MLP", baseline with { Arch = ModelFactory.MlpArch }) { Seed003 = t[0] },
            new($"{largeSize} px", baseline with { ImageSize = largeSize }) { SeedNote = "no seed row changes only the size: its 210 px rows also use lr 2e-5" },
            new("batch 40", baseline with { BatchSize = 40 }) { SeedNote = "the seed's CNN rows all use batch 100" },
            new($"{longEpochs} epochs", baseline with { Epochs = longEpochs }) { SeedNote = "the seed's 100-epoch CNN rows also change augmentation, size or lr" },
            new("lr 2e-5", baseline with { LearningRate = 2e-5 }) { Seed003 = t[3], SeedNote = "the seed changes lr only between its augmented 100-epoch rows on 20 % of the data (1e-4: row 3)" },
            new("L1 5e-7", baseline with { L1 = 5e-7 }) { Seed003 = t[6], SeedNote = at210 },
            new("L2 5e-7", baseline with { L2 = 5e-7 }) { Seed003 = t[7], SeedNote = at210 },
            new("dropout 5 %", baseline with { Dropout = 0.05 }) { Seed003 = t[4], SeedNote = at210 },
            new("augmentation", baseline with { Augment = true }) { Seed003 = t[2], SeedNote = "the seed's row also trains 100 epochs on 20 % of the data" },
            new("early stopping", baseline with { EarlyStoppingPatience = earlyStoppingPatience }) { Seed003 = t[5], SeedNote = "the seed's row is also at 210 px, lr 2e-5, up to 100 epochs" },
        };
        if (includeVgg19)
            rows.Add(new("VGG19", baseline with { Arch = ModelFactory.Vgg19Arch })
            { Seed003 = t[8], SeedNote = "the seed's VGG19 starts from ImageNet weights (100 epochs, batch 5); ours from random weights" });
        return new ExperimentGrid(new ExperimentRow("CNN (baseline)", baseline) { Seed003 = t[1] }, rows);
    }
}
