namespace XRay.Bench;

/// <summary>
/// Every size the benchmark uses, shared by the C# and the Python side so both measure the same thing.
/// <see cref="Full"/> is what `./build.sh bench` runs; <see cref="Smoke"/> keeps each case working in the test suite.
/// </summary>
public sealed record BenchSettings
{
    /// <summary>Threads for libtorch on both sides, decode workers, and the reference DataLoader's num_workers.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>JPEGs decoded per pass; their side is <see cref="DecodeSourceSize"/> (real scans are 1-2k px).</summary>
    public int DecodeImages { get; init; } = 240;

    public int DecodeSourceSize { get; init; } = 1024;

    /// <summary>The decode target (the blogs' 224x224).</summary>
    public int DecodeSize { get; init; } = 224;

    /// <summary>Timed passes over the decode folder; the median is reported.</summary>
    public int DecodeRepeats { get; init; } = 5;

    /// <summary>Seed 002's CNN input side for the training, inference and epoch cases.</summary>
    public int ModelSize { get; init; } = 150;

    public int Batch { get; init; } = 32;

    /// <summary>Untimed steps first (oneDNN primitive creation, allocator warm-up, tiered JIT).</summary>
    public int Warmup { get; init; } = 3;

    /// <summary>Timed intervals; images/s is their median (the issue asks for at least 5).</summary>
    public int Intervals { get; init; } = 7;

    /// <summary>
    /// Input side of the notebook-kernel training case: notebook 05's default (the blogs' 224x224), where a step's largest
    /// blocks pass glibc's 64 MB limit for threads other than the main one.
    /// </summary>
    public int NotebookSize { get; init; } = 224;

    /// <summary>Training steps per timed interval.</summary>
    public int TrainSteps { get; init; } = 3;

    /// <summary>Inference batches per timed interval (a forward pass is ~3x cheaper than a training step).</summary>
    public int InferSteps { get; init; } = 6;

    /// <summary>Synthetic training images per class for the end-to-end epochs (2 classes, as seed 002's set).</summary>
    public int EpochImagesPerClass { get; init; } = 1000;

    /// <summary>Side of the synthetic JPEGs (the generator's default); they are resized to <see cref="ModelSize"/>.</summary>
    public int EpochSourceSize { get; init; } = 256;

    /// <summary>Epoch 1 decodes (and for ours fills the cache); epochs 2+ show the steady state.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Input channels of the end-to-end case: gray, as the X-rays are and as our loader defaults.</summary>
    public int EpochChannels { get; init; } = 1;

    /// <summary>
    /// The accuracy case's synthetic training images per class (2 classes), generated at <see cref="AccuracySize"/> so
    /// that neither side resizes (OpenCV's and PIL's filters differ): both train on the same decoded pixels.
    /// </summary>
    public int AccuracyImagesPerClass { get; init; } = 300;

    /// <summary>Validation images per class, a val/ folder beside train/: the same files for both sides and precisions.</summary>
    public int AccuracyValPerClass { get; init; } = 100;

    /// <summary>The accuracy case's input side (seed 002's 150²; the images are generated at it).</summary>
    public int AccuracySize { get; init; } = 150;

    /// <summary>
    /// Epochs of the accuracy case: few enough for a short run, and still improving after 5 (bench/README.md, "Mixed
    /// precision", has the accuracies), so a precision that slowed learning would show.
    /// </summary>
    public int AccuracyEpochs { get; init; } = 5;

    /// <summary>
    /// Input channels the accuracy case trains with: 1 (the X-rays' gray) and 3 (the ImageNet networks' input).
    /// </summary>
    public int[] AccuracyChannels { get; init; } = { 1, 3 };

    /// <summary>Adam's learning rate on both sides (Keras' and PyTorch's default).</summary>
    public double AccuracyLearningRate { get; init; } = 1e-3;

    /// <summary>Seeds each side's initial weights, shuffling and dropout; the same for fp32 and bf16.</summary>
    public int AccuracySeed { get; init; }

    /// <summary>Side of the square SGEMM that measures the machine's float32 matrix-product rate.</summary>
    public int SgemmSize { get; init; } = 2048;

    /// <summary>Memory is sampled this often during the end-to-end epochs.</summary>
    public int MemorySampleMs { get; init; } = 50;

    /// <summary>Requests per concurrency level in the serve case (1, 4, 16 clients), and in-process beside them.</summary>
    public int ServeRequests { get; init; } = 200;

    /// <summary>Each serve level stops after this many seconds even if its requests are not all sent.</summary>
    public int ServeSeconds { get; init; } = 60;

    /// <summary>Model replicas of the served app (`xray serve --replicas`).</summary>
    public int ServeReplicas { get; init; } = XRay.Web.ClassifierPool.DefaultReplicas;

    public static BenchSettings Full { get; } = new();

    /// <summary>Tiny sizes: every case runs, both sides, in seconds.</summary>
    public static BenchSettings Smoke { get; } = new()
    {
        DecodeImages = 6, DecodeSourceSize = 64, DecodeSize = 32, DecodeRepeats = 2,
        ModelSize = 32, NotebookSize = 32, Batch = 4, Warmup = 1, Intervals = 2, TrainSteps = 1, InferSteps = 1,
        EpochImagesPerClass = 6, EpochSourceSize = 48, Epochs = 2, SgemmSize = 64, MemorySampleMs = 20,
        ServeRequests = 8, ServeSeconds = 30,
        AccuracyImagesPerClass = 8, AccuracyValPerClass = 4, AccuracySize = 32, AccuracyEpochs = 2, AccuracyChannels = new[] { 1 },
    };
}
