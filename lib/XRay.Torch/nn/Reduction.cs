namespace XRay.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss combines per-element values; numbered as at::Reduction.</summary>
        public enum Reduction
        {
            None = 0,
            Mean = 1,
            Sum = 2,
        }
    }
}
