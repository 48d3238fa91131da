using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Tests.Runtime;

public class TorchThreadsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(100_003)]
    public void Covers_every_index_once(int count)
    {
        var hits = new int[count];
        TorchThreads.For(count, (start, end) =>
        {
            Assert.True(0 <= start && start < end && end <= count, $"chunk [{start}, {end}) of {count}");
            for (var i = start; i < end; i++) Interlocked.Increment(ref hits[i]);
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Nothing_to_do_calls_nothing()
    {
        TorchThreads.For(0, (_, _) => throw new InvalidOperationException("called"));
        TorchThreads.For(-3, (_, _) => throw new InvalidOperationException("called"));
    }

    [Fact]
    public void Runs_on_libtorchs_openmp_team()
    {
        if (OperatingSystem.IsLinux())
        {
            // libtorch's own libgomp, the one in its folder (TorchSharp's packages ship it), whatever else is mapped.
            Assert.Equal(TorchRuntime.LoadedLibTorch(), Path.GetDirectoryName(TorchThreads.OpenMpLibrary));
            Assert.StartsWith("libgomp", Path.GetFileName(TorchThreads.OpenMpLibrary));
        }
        var threads = get_num_threads();
        try
        {
            set_num_threads(2);
            // Each thread's first chunk waits until a second thread has arrived: a loop run on one thread never gets there.
            using var arrived = new CountdownEvent(2);
            var seen = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
            var together = true;
            TorchThreads.For(64, (_, _) =>
            {
                if (!seen.TryAdd(Environment.CurrentManagedThreadId, true)) return;
                if (!arrived.IsSet) arrived.Signal();
                if (!arrived.Wait(TimeSpan.FromSeconds(60))) together = false;
            });
            Assert.True(together, "only one thread ran the loop");
            Assert.Equal(2, seen.Count);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void A_chunks_exception_reaches_the_caller_and_stops_the_chunks_not_started()
    {
        var threads = get_num_threads();
        try
        {
            // One thread takes the chunks in order, so nothing after the failing first chunk runs.
            set_num_threads(1);
            var ran = 0;
            var e = Assert.Throws<InvalidOperationException>(() => TorchThreads.For(1000, (start, _) =>
            {
                Interlocked.Increment(ref ran);
                if (start == 0) throw new InvalidOperationException("chunk 0 failed");
            }));
            Assert.Equal("chunk 0 failed", e.Message);
            Assert.Equal(1, ran);

            // On the OpenMP team the exception crosses libgomp's threads back to the caller, and the team works afterwards.
            set_num_threads(2);
            e = Assert.Throws<InvalidOperationException>(() => TorchThreads.For(1000, (start, end) =>
            {
                if (start <= 500 && 500 < end) throw new InvalidOperationException("the chunk with 500 failed");
            }));
            Assert.Equal("the chunk with 500 failed", e.Message);
            var sum = 0L;
            TorchThreads.For(100, (start, end) => Interlocked.Add(ref sum, end - start));
            Assert.Equal(100, sum);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void A_loop_inside_a_loop_runs_on_its_thread()
    {
        var hits = new int[16 * 50];
        TorchThreads.For(16, (start, end) =>
        {
            for (var outer = start; outer < end; outer++)
                TorchThreads.For(50, (s, e) =>
                {
                    for (var inner = s; inner < e; inner++) Interlocked.Increment(ref hits[outer * 50 + inner]);
                });
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }
}
