using System.Diagnostics;
using XRay.Torch.Modules;
using F = XRay.Torch.torch.nn.functional;

namespace XRay.Torch.Tests;

public class DisposeScopeTests
{
    [Fact]
    public void Tensors_made_in_a_scope_are_freed_with_it_except_moved_ones()
    {
        Tensor kept, dropped;
        using (var scope = NewDisposeScope())
        {
            var a = ones(3);
            dropped = a * 2;
            kept = scope.MoveToOuter(a + 1);
            Assert.Equal(2, scope.Count);
        }
        Assert.True(dropped.IsInvalid);
        Assert.False(kept.IsInvalid);
        Assert.Equal(new float[] { 2, 2, 2 }, kept.ToArray<float>());
        kept.Dispose();
    }

    [Fact]
    public void Nested_scopes_move_outward_one_level()
    {
        Tensor survivor;
        using (var outer = NewDisposeScope())
        {
            Tensor inner;
            using (var innerScope = NewDisposeScope())
            {
                inner = innerScope.MoveToOuter(ones(2));
            }
            Assert.False(inner.IsInvalid);
            Assert.Equal(1, outer.Count);
            survivor = inner.DetachFromDisposeScope();
        }
        Assert.False(survivor.IsInvalid);
        survivor.Dispose();
        Assert.Null(DisposeScope.Current);
    }

    [Fact]
    public void Module_parameters_and_buffers_survive_the_scope_they_were_built_in()
    {
        Conv2d conv;
        BatchNorm2d bn;
        using (NewDisposeScope())
        {
            conv = nn.Conv2d(1, 2, 3);
            bn = nn.BatchNorm2d(2);
        }
        Assert.All(conv.parameters(), p => Assert.False(p.IsInvalid));
        Assert.All(bn.buffers(), b => Assert.False(b.IsInvalid));
        conv.Dispose();
        bn.Dispose();
        Assert.All(new Tensor[] { conv.weight, bn.running_mean! }, t => Assert.True(t.IsInvalid));
    }

    /// <summary>2,000 training steps inside scopes keep the process's memory flat.</summary>
    [Fact]
    public void Training_steps_in_scopes_keep_rss_flat()
    {
        manual_seed(3);
        using var model = nn.Sequential(nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 8 * 8, 2));
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        using var x = randn(16, 1, 16, 16);
        using var y = randint(0, 2, new long[] { 16 });

        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = F.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
        }

        for (var i = 0; i < 100; i++) Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        for (var i = 0; i < 1900; i++) Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var after = process.WorkingSet64;
        Assert.True(after <= baseline * 1.10,
            $"RSS grew from {baseline / 1e6:F1} MB after 100 steps to {after / 1e6:F1} MB after 2000 steps");
    }
}
