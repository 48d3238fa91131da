using PureHDF;
using static TorchSharp.torch;

namespace XRay.IO;

/// <summary>
/// Keras' HDF5 weight files (model.save_weights / the applications' *_tf_no_top.h5), read with PureHDF: the root's
/// <c>layer_names</c> attribute lists the layers, each layer group's <c>weight_names</c> its weights (e.g.
/// conv_dw_1/depthwise_kernel:0), stored at LAYER/WEIGHT_NAME. Tensors keep Keras' layout (kernels HWIO, depthwise
/// kernels H W C 1) under "layer/weight" names without the ":0"; converting them is the model's business.
/// </summary>
public static class KerasWeightsFile
{
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No Keras weights file at '{path}'.", path);
        var result = new Dictionary<string, Tensor>();
        try
        {
            using var file = H5File.OpenRead(path);
            var root = file.AttributeExists("model_weights") ? file.Group("model_weights") : (IH5Group)file; // model.save() puts them one level down
            if (!root.AttributeExists("layer_names"))
                throw new InvalidDataException("it has no layer_names attribute (not written by Keras' save_weights)");
            foreach (var layer in root.Attribute("layer_names").Read<string[]>())
            {
                var group = root.Group(layer);
                var names = group.AttributeExists("weight_names") ? group.Attribute("weight_names").Read<string[]>() : Array.Empty<string>();
                foreach (var name in names)
                {
                    var dataset = group.Dataset(name);
                    var shape = dataset.Space.Dimensions.Select(d => checked((long)d)).ToArray();
                    var values = dataset.Read<float[]>();
                    var key = name.EndsWith(":0", StringComparison.Ordinal) ? name[..^2] : name;
                    result[key] = tensor(values, shape);
                }
            }
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new InvalidDataException($"'{path}' is not a readable Keras HDF5 weights file ({e.Message}).", e);
        }
        catch (InvalidDataException e)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new InvalidDataException($"'{path}' is not a readable Keras HDF5 weights file ({e.Message}).", e);
        }
        return result;
    }
}
