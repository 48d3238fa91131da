using System.Globalization;
using XRay.Display;
using XRay.Metrics;

namespace XRay.Tests.Metrics;

public class PredictionsTests
{
    private static Predictions Sample() => new(new[] { "NORMAL", "COVID19", "PNEUMONIA" },
        new[] { "test/NORMAL/a.png", "test/COVID19/b, c.png", "test/PNEUMONIA/d.png" },
        new[] { 0, 1, 2 }, new[] { 0, 2, 1 },
        new[] { new[] { 0.861f, 0.1f, 0.039f }, new[] { 0.2f, 0.3f, 0.5f }, new[] { 0.05f, 0.9f, 0.05f } });

    /// <summary>Under de-DE (decimal comma) a culture-bound CSV would write 0,861 or read 0.861 as 8.61E+16: ours is culture-proof.</summary>
    [Fact]
    public void Predictions_csv_round_trips_under_a_comma_decimal_culture()
    {
        var path = Path.Combine(TestFiles.TempFolder("xray-predictions-"), "predictions.csv");
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(",", CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator); // ICU is there: the test means something

            Sample().WriteCsv(path);
            var read = Predictions.ReadCsv(path);

            var lines = File.ReadAllLines(path);
            Assert.Equal("path,true,pred,p_NORMAL,p_COVID19,p_PNEUMONIA", lines[0]);
            // Floats in their shortest form that reads back to the same float, with decimal points; a path with a comma is quoted.
            Assert.StartsWith("test/NORMAL/a.png,NORMAL,NORMAL,0.861", lines[1]);
            Assert.StartsWith("\"test/COVID19/b, c.png\",COVID19,PNEUMONIA,", lines[2]);
            Assert.Equal(new[] { 0.861f, 0.1f, 0.039f }, lines[1].Split(',')[3..].Select(p => float.Parse(p, CultureInfo.InvariantCulture)));
            Assert.Equal(Sample().ClassNames, read.ClassNames);
            Assert.Equal(Sample().Paths, read.Paths);
            Assert.Equal(Sample().Labels, read.Labels);
            Assert.Equal(Sample().Predicted, read.Predicted);
            Assert.Equal(0.861f, read.Probabilities[0][0]);
            Assert.Equal(Sample().Probabilities.SelectMany(p => p), read.Probabilities.SelectMany(p => p));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void A_file_that_is_not_predictions_csv_is_refused_by_name()
    {
        var path = Path.Combine(TestFiles.TempFolder("xray-predictions-"), "other.csv");
        File.WriteAllText(path, "a,b\n1,2\n");
        var e = Assert.Throws<InvalidDataException>(() => Predictions.ReadCsv(path));
        Assert.Contains("other.csv is not a predictions.csv", e.Message);
    }

    [Fact]
    public void A_probability_that_is_not_a_number_is_refused_with_the_file_and_the_value()
    {
        var path = Path.Combine(TestFiles.TempFolder("xray-predictions-"), "predictions.csv");
        File.WriteAllText(path, "path,true,pred,p_A,p_B\na.png,A,A,0.9,0.1\nb.png,B,A,0,6,0.4\n");
        Assert.Contains("a row has 6 fields", Assert.Throws<InvalidDataException>(() => Predictions.ReadCsv(path)).Message);
        File.WriteAllText(path, "path,true,pred,p_A,p_B\na.png,A,A,0.9,0.1\nb.png,B,A,high,0.4\n");
        var e = Assert.Throws<InvalidDataException>(() => Predictions.ReadCsv(path));
        Assert.Contains("predictions.csv: 'high' is not a probability", e.Message);
    }

    [Fact]
    public void The_misclassified_table_lists_the_wrong_answers_most_confident_first()
    {
        var frame = Sample().MisclassifiedFrame();
        Assert.Equal(new[] { "path", "true", "predicted", "confidence" }, frame.Columns.Select(c => c.Name));
        Assert.Equal(2, frame.Rows.Count);
        Assert.Equal("test/PNEUMONIA/d.png", frame["path"][0]);
        Assert.Equal("COVID19", frame["predicted"][0]);
        Assert.Equal(0.9f, frame["confidence"][0]);
        Assert.Equal(0.5f, frame["confidence"][1]);
    }

    [Fact]
    public void First_correct_per_class_skips_the_mistakes_and_the_classes_never_got_right()
    {
        var classes = new[] { "NORMAL", "COVID19", "PNEUMONIA" };
        var p = new float[] { 1, 0, 0 };
        // Labels 0 0 1 2 1 with predictions 1 0 2 2 1: NORMAL first right at 1, COVID19 at 4, PNEUMONIA at 3.
        var predictions = new Predictions(classes, new[] { "a", "b", "c", "d", "e" }, new[] { 0, 0, 1, 2, 1 }, new[] { 1, 0, 2, 2, 1 },
            Enumerable.Repeat(p, 5).ToArray());
        Assert.Equal(new[] { 1, 4, 3 }, predictions.FirstCorrectPerClass());
        var never = predictions with { Predicted = new[] { 0, 1, 2, 0, 0 } };   // COVID19 and PNEUMONIA never right
        Assert.Equal(new[] { 0 }, never.FirstCorrectPerClass());
    }
}
