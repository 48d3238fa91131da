using System.Globalization;
using XRay.Augmentation;
using XRay.Data;
using XRay.Imaging;
using XRay.Synthetic;
using XRay.TestSupport;

namespace XRay.Tests.Augmentation;

/// <summary>
/// Seed 000's offline COVID19 augmentation, run by Python with the blog's own lines (cv2 + numpy uint8 arithmetic), equals
/// <see cref="CovidOfflineAugmentation.Expand"/> with <see cref="PixelArithmetic.WrapAround"/> pixel for pixel.
/// </summary>
[Trait("Category", TestCategories.Parity)]
public class Seed000ParityTests
{
    // The seed's code (seeds/000_*.txt, "Here is the code for image augmentation"), for one file instead of a glob of
    // 300; only the line breaks the blog's page lost are restored. The last loop writes each image out for the test.
    private const string Script = """
        import sys
        import numpy as np
        import cv2
        path, out = sys.argv[1], sys.argv[2]

        gamma = np.array([0.4,0.55])
        power_c = 10
        avg_kernel = [3]
        kernel = np.ones((3,3),np.float32)/9
        lam = 3

        aug_COVID19_image = []
        img = cv2.resize(cv2.imread(path), (224,224))
        aug_COVID19_image.append(img)

        #power_law
        for k in range(len(gamma)):
            pow_law_img = np.array(power_c*np.power(img,gamma[k]))
            aug_COVID19_image.append(pow_law_img)

        #average mask
        for i in range(len(avg_kernel)):
            kernel = np.ones((avg_kernel[i],avg_kernel[i]),np.float32)/(avg_kernel[i]*avg_kernel[i])
            avg_img = cv2.filter2D(img,-1,kernel)
            aug_COVID19_image.append(avg_img)

        #smooth filter for sharpening
        smooth_img = cv2.filter2D(img,-1,kernel)
        high_freq1 = img-smooth_img
        sharp_img_1 = img+(lam*high_freq1)
        aug_COVID19_image.append(sharp_img_1)

        #canny edge filter for sharpening
        canny_edge = cv2.Canny(img,50,225)
        high_freq4 = np.zeros(img.shape,'uint8')
        #canny edge sharpening
        high_freq4[:,:,0] = canny_edge
        high_freq4[:,:,1] = canny_edge
        high_freq4[:,:,2] = canny_edge
        sharp_img_2 = img+(lam*high_freq4)
        aug_COVID19_image.append(sharp_img_2)

        for n, a in enumerate(aug_COVID19_image):
            open(f"{out}/{n}.raw", "wb").write(a.tobytes())
            print(n, a.dtype)
        """;

    /// <summary>
    /// A synthetic COVID19 scan, tinted so that its three channels differ (a swapped R and B would show), with a bright
    /// side marker, as real films carry, whose sharp borders give Canny edges above 225.
    /// </summary>
    private static PixelImage Scan()
    {
        var gray = SyntheticChestXray.Render("COVID19", 300, new Random(7));
        var color = new PixelImage(gray.Rows, gray.Cols, 3);
        for (var i = 0; i < gray.Data.Length; i++)
        {
            color.Data[i * 3] = gray.Data[i];
            color.Data[i * 3 + 1] = (byte)(gray.Data[i] * 9 / 10);
            color.Data[i * 3 + 2] = (byte)(gray.Data[i] * 3 / 4 + 20);
        }
        for (var y = 30; y < 80; y++)
            for (var x = 200; x < 270; x++)
                for (var c = 0; c < 3; c++)
                    color[y, x, c] = (byte)(x < 230 || y > 60 ? 250 - 10 * c : color[y, x, c]);
        return color;
    }

    [Fact]
    public void The_five_variants_equal_the_seeds_own_code()
    {
        var folder = TestFiles.TempFolder();
        try
        {
            var file = Path.Combine(folder, "covid.jpg");
            File.WriteAllBytes(file, Cv.ImEncodeJpeg(Scan(), 90));
            var dtypes = PythonReference.Run(Script, file, folder).Split('\n').Select(l => l.Trim().Split(' ')[1]).ToArray();
            Assert.Equal(new[] { "uint8", "float64", "float64", "uint8", "uint8", "uint8" }, dtypes);

            // What the library does with the blog's file: read as RGB, bilinear resize to 224 (cv2.resize's default).
            var image = Cv.Resize(ImageLoader.Read(file, ColorMode.Rgb), 224, 224, Interpolation.Linear);
            var ours = CovidOfflineAugmentation.Expand(image, PixelArithmetic.WrapAround);
            Assert.Equal(6, ours.Count);
            var names = new[] { "source", "pow040", "pow055", "avg3", "highboost", "canny" };
            for (var n = 0; n < ours.Count; n++)
            {
                var raw = File.ReadAllBytes(Path.Combine(folder, $"{n}.raw"));
                var mismatches = 0;
                var changed = 0;
                for (var p = 0; p < 224 * 224; p++)
                    for (var c = 0; c < 3; c++)
                    {
                        var mine = ours[n].Data[p * 3 + c];
                        var bgr = p * 3 + 2 - c;
                        if (mine != ours[0].Data[p * 3 + c]) changed++;
                        if (dtypes[n] == "float64")
                        {
                            // The blog keeps float64 power-law images; ours rounds them to uint8 (half to even).
                            var value = BitConverter.ToDouble(raw, bgr * 8);
                            if (mine != (byte)Math.Round(value, MidpointRounding.ToEven)) mismatches++;
                        }
                        else if (mine != raw[bgr])
                        {
                            mismatches++;
                        }
                    }
                Assert.True(mismatches == 0, $"{names[n]}: {mismatches} values differ from the seed's");
                // Each variant really changes the image, so the comparison is not of copies of the source.
                if (n > 0) Assert.True(changed > 500, string.Create(CultureInfo.InvariantCulture, $"{names[n]} changed only {changed} values"));
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
