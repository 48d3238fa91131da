namespace XRay.Data;

/// <summary>One class in <see cref="Seed000Plan"/>: what the folders hold, and what the seed takes into each array.</summary>
/// <param name="TrainTaken">Files of the train folder the seed loads for training (before augmentation).</param>
/// <param name="TrainImages">Training images after augmentation (Covid: six per file taken).</param>
/// <param name="MovedToTest">Files of the train folder the seed adds to its test array (Covid: the ones it left out).</param>
public sealed record Seed000ClassPlan(string ClassName, int TrainFolder, int TestFolder, int TrainTaken, int TrainImages,
    int TestTaken, int MovedToTest)
{
    public int TestImages => TestTaken + MovedToTest;
}

/// <summary>
/// Seed 000's assembly of its train and test arrays from the Kaggle folders, step by step, on any dataset with its three
/// classes. On the Kaggle set (train 460 Covid, 1,266 Normal, 3,418 Pneumonia; test 116, 317, 855) it takes:
/// <list type="bullet">
/// <item>Covid: 300 train files, each with its five filtered variants (1,800 images); its test array is the 116 test
/// files plus the train files it left out, 160 (276 images);</item>
/// <item>Pneumonia: 1,800 train and 400 test files; Normal: all 1,266 and 317.</item>
/// </list>
/// Totals: 4,866 training and 993 test images. On other data the same shares of each folder are taken.
/// <para>
/// The leak: the seed shuffles the Covid train files, takes the first 300 for training, then shuffles the same list
/// again (<c>np.random.shuffle(filenames)</c>) before taking "the rest" (<c>filenames[300:]</c>) for testing. The second
/// permutation is a new one, so most of "the rest" are files already in training: about 160 × 300 / 460 ≈ 104 test
/// images the model has seen, and 104 Covid files neither array uses. <see cref="Leaked"/> lists them;
/// <c>shuffleTwice: false</c> takes the rest from the first permutation, which is what the seed meant.
/// </para>
/// </summary>
public sealed record Seed000Plan(IReadOnlyList<Seed000ClassPlan> Classes, IReadOnlyList<string> Leaked, IReadOnlyList<string> Unused)
{
    // What the seed takes of each Kaggle folder: (taken, of the folder's count).
    private static readonly Dictionary<string, (int Train, int TrainFolder, int Test, int TestFolder)> SeedCounts = new()
    {
        ["NORMAL"] = (1266, 1266, 317, 317),
        ["COVID19"] = (300, 460, 116, 116),
        ["PNEUMONIA"] = (1800, 3418, 400, 855),
    };

    /// <summary>Each Covid training file becomes six images: itself and seed 000's five filtered variants.</summary>
    public const int CovidCopies = 6;

    /// <summary>The seed's own array sizes on the Kaggle set: 4,866 training and 993 test images.</summary>
    public static (int Train, int Test) OnTheKaggleSet =>
        (SeedCounts.Sum(c => c.Value.Train * (c.Key == "COVID19" ? CovidCopies : 1)),
         SeedCounts.Sum(c => c.Value.Test + (c.Key == "COVID19" ? c.Value.TrainFolder - c.Value.Train : 0)));

    public int TrainImages => Classes.Sum(c => c.TrainImages);

    public int TestImages => Classes.Sum(c => c.TestImages);

    /// <summary>
    /// The seed's plan on <paramref name="train"/> and <paramref name="test"/> (whole folders, not a validation split),
    /// shuffled with <paramref name="seed"/>. <paramref name="shuffleTwice"/>: reshuffle the Covid files before taking the
    /// test remainder, as the seed does.
    /// </summary>
    public static Seed000Plan Make(ImageFolder train, ImageFolder test, int seed, bool shuffleTwice = true)
    {
        var missing = SeedCounts.Keys.Where(c => !train.ClassNames.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"Seed 000's plan needs the classes NORMAL, COVID19 and PNEUMONIA; '{train.Root}' lacks {string.Join(", ", missing)}. Use a three-class dataset (xray data synthetic --classes 3, or the Kaggle set).");
        var random = new Random(seed);
        var rows = new List<Seed000ClassPlan>();
        var (leaked, unused) = (new List<string>(), new List<string>());
        foreach (var name in ImageDataset.BlogClassOrder)
        {
            var (trainShare, trainFolder, testShare, testFolder) = SeedCounts[name];
            var trainFiles = Files(train, name);
            var testFiles = Files(test, name);
            random.Shuffle(trainFiles);
            var trainTaken = Share(trainFiles.Length, trainShare, trainFolder);
            var testTaken = Share(testFiles.Length, testShare, testFolder);
            var moved = 0;
            if (name == "COVID19")
            {
                var used = trainFiles[..trainTaken].ToHashSet(StringComparer.Ordinal);
                var rest = shuffleTwice ? Shuffled(trainFiles, random) : trainFiles;
                var toTest = rest[trainTaken..];
                moved = toTest.Length;
                leaked.AddRange(toTest.Where(used.Contains));
                var anywhere = used.Concat(toTest).ToHashSet(StringComparer.Ordinal);
                unused.AddRange(trainFiles.Where(f => !anywhere.Contains(f)));
            }
            var copies = name == "COVID19" ? CovidCopies : 1;
            rows.Add(new Seed000ClassPlan(name, trainFiles.Length, testFiles.Length, trainTaken, trainTaken * copies, testTaken, moved));
        }
        return new Seed000Plan(rows, leaked, unused);
    }

    // The seed's share of a folder, scaled to this folder's size: on the Kaggle counts exactly the seed's numbers.
    private static int Share(int count, int seedTaken, int seedFolder) =>
        Math.Min(count, (int)Math.Round(count * (double)seedTaken / seedFolder, MidpointRounding.AwayFromZero));

    private static string[] Files(ImageFolder folder, string className)
    {
        var label = folder.ClassNames.ToList().IndexOf(className);
        return folder.Samples.Where(s => s.Label == label).Select(s => s.Path).Order(StringComparer.Ordinal).ToArray();
    }

    private static string[] Shuffled(string[] files, Random random)
    {
        var copy = (string[])files.Clone();
        random.Shuffle(copy);
        return copy;
    }
}
