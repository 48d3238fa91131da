using XRay.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using XRay.Features;
using XRay.Metrics;

namespace XRay.Classic;

/// <summary>
/// An ML.NET classifier on feature vectors: LightGBM, FastTree (one-vs-all) or a linear model (see
/// <see cref="ClassicAlgorithm"/>). Its scores are class probabilities in label order, so its predictions go through the
/// same <see cref="Evaluation"/> (scikit-learn's report, confusion matrix, ROC) as the CNN's.
/// </summary>
public sealed class ClassicClassifier
{
    private const string LabelColumn = "Label";
    private const string FeaturesColumn = "Features";
    private const string ScoreColumn = "Score";

    private readonly MLContext ml;
    private readonly ITransformer model;

    private ClassicClassifier(MLContext ml, ITransformer model, IReadOnlyList<string> classNames, int dimension)
    {
        this.ml = ml;
        this.model = model;
        ClassNames = classNames;
        Dimension = dimension;
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Feature values per image the classifier takes.</summary>
    public int Dimension { get; }

    /// <summary>Trains on <paramref name="train"/>'s vectors and labels.</summary>
    public static ClassicClassifier Train(FeatureSet train, ClassicOptions? options = null)
    {
        var o = options ?? new ClassicOptions();
        if (train.Count == 0) throw new ArgumentException("There are no training features: the training split has no usable images.");
        if (o.Iterations <= 0) throw new ArgumentException($"Iterations must be positive, got {o.Iterations}.");
        if (o.Threads is <= 0) throw new ArgumentException($"Threads must be positive, got {o.Threads}.");
        var ml = new MLContext(seed: o.Seed);
        var classes = train.ClassNames.Count;
        var data = ml.Data.LoadFromEnumerable(Rows(train.Rows, train.Labels), Schema(train.Dimension, classes));
        var model = Estimator(ml, o).Fit(data);
        return new ClassicClassifier(ml, model, train.ClassNames, train.Dimension);
    }

    private static IEstimator<ITransformer> Estimator(MLContext ml, ClassicOptions o) => o.Algorithm switch
    {
        ClassicAlgorithm.LightGbm => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            LabelColumnName = LabelColumn,
            FeatureColumnName = FeaturesColumn,
            NumberOfIterations = o.Iterations,
            LearningRate = o.LearningRate,
            NumberOfLeaves = o.Leaves,
            MinimumExampleCountPerLeaf = o.MinimumExamplesPerLeaf,
            UseSoftmax = true,
            Seed = o.Seed,
            NumberOfThreads = o.ThreadsUsed,
            Deterministic = true,
            Silent = true,
            Verbose = false,
        }),
        ClassicAlgorithm.FastTree => ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = LabelColumn,
                FeatureColumnName = FeaturesColumn,
                NumberOfTrees = o.Iterations,
                LearningRate = o.LearningRateUsed!.Value,
                NumberOfLeaves = o.Leaves ?? 20,
                MinimumExampleCountPerLeaf = o.MinimumExamplesPerLeaf ?? 10,
                Seed = o.Seed,
                NumberOfThreads = o.ThreadsUsed,
            }),
            LabelColumn, useProbabilities: true),
        ClassicAlgorithm.Linear => ml.Transforms.NormalizeMeanVariance(FeaturesColumn)
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn,
                FeatureColumnName = FeaturesColumn,
                MaximumNumberOfIterations = o.Iterations,
                L2Regularization = o.L2 ?? 1f,
                L1Regularization = o.L1 ?? 1f,
                NumberOfThreads = o.ThreadsUsed,
            })),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.Algorithm, "Unknown algorithm."),
    };

    /// <summary>Class probabilities, one row of <see cref="ClassNames"/>.Count per feature vector.</summary>
    public float[][] Probabilities(IReadOnlyList<float[]> rows)
    {
        foreach (var row in rows)
            if (row.Length != Dimension)
                throw new ArgumentException($"The classifier takes {Dimension} features per image, got {row.Length}: the feature extractor differs from training's.");
        var data = ml.Data.LoadFromEnumerable(Rows(rows, null), Schema(Dimension, ClassNames.Count));
        var scores = model.Transform(data).GetColumn<float[]>(ScoreColumn).ToArray();
        return scores.Select(Normalize).ToArray();
    }

    // LightGBM (softmax), L-BFGS and one-vs-all with probabilities already sum to 1; the division only removes float noise.
    private static float[] Normalize(float[] p)
    {
        var sum = p.Sum();
        return sum > 0 ? p.Select(v => v / sum).ToArray() : p;
    }

    /// <summary>Predictions for a feature set: probabilities and the most probable class per image, with paths and true labels.</summary>
    public Predictions Predict(FeatureSet set)
    {
        var p = Probabilities(set.Rows);
        return new Predictions(ClassNames, set.Paths, set.Labels, p.Select(row => Inference.ArgMax(row)).ToArray(), p);
    }

    /// <summary>ML.NET's model file (a zip).</summary>
    public void Save(string path) =>
        IO.AtomicFile.Write(path, stream => ml.Model.Save(model, SchemaView(ml, Dimension, ClassNames.Count).Schema, stream));

    public static ClassicClassifier Load(string path, IReadOnlyList<string> classNames, int dimension)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No ML.NET model at '{path}'.", path);
        var ml = new MLContext();
        // Loading finds each saved component's loader among registered assemblies; make sure the trainers' are.
        ml.ComponentCatalog.RegisterAssembly(typeof(LightGbmMulticlassTrainer).Assembly);
        ml.ComponentCatalog.RegisterAssembly(typeof(FastTreeBinaryTrainer).Assembly);
        try
        {
            using var stream = File.OpenRead(path);
            var model = ml.Model.Load(stream, out _);
            return new ClassicClassifier(ml, model, classNames, dimension);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"The ML.NET model '{path}' cannot be read ({e.Message.Split('\n')[0]}). It may be truncated; train it again.", e);
        }
    }

    // ---- ML.NET's view of the features -----------------------------------------------------------------

    private sealed class Row
    {
        public uint Label { get; set; }

        public float[] Features { get; set; } = Array.Empty<float>();
    }

    // Label is a key type of K values, so class i is always score i, whichever classes a split holds. A class's
    // property holds the key's index (0-based); ML.NET adds the 1 of its raw "0 is missing" form itself.
    private static SchemaDefinition Schema(int dimension, int classes)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[LabelColumn].ColumnType = new KeyDataViewType(typeof(uint), classes);
        schema[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }

    private static IDataView SchemaView(MLContext ml, int dimension, int classes) =>
        ml.Data.LoadFromEnumerable(Array.Empty<Row>(), Schema(dimension, classes));

    private static IEnumerable<Row> Rows(IReadOnlyList<float[]> rows, IReadOnlyList<int>? labels) =>
        rows.Select((r, i) => new Row { Label = labels is null ? 0u : (uint)labels[i], Features = r });
}
