namespace XRay.Training.Experiments;

/// <summary>One row over all its seeds, with the mean ± sd of each measure.</summary>
public sealed record ExperimentResult(ExperimentRow Row, IReadOnlyList<SeedResult> Seeds)
{
    public MeanSd ValAccuracy => MeanSd.Of(Seeds.Select(s => s.ValAccuracy));

    public MeanSd ValLoss => MeanSd.Of(Seeds.Select(s => s.ValLoss));

    public MeanSd BestValAccuracy => MeanSd.Of(Seeds.Select(s => s.BestValAccuracy));

    public MeanSd TrainAccuracy => MeanSd.Of(Seeds.Select(s => s.TrainAccuracy));

    public MeanSd TrainLoss => MeanSd.Of(Seeds.Select(s => s.TrainLoss));

    public double Seconds => Seeds.Sum(s => s.Seconds);
}
