"""Replays a trace of libtorch's CPU tensor allocations against allocator policies (bench/README.md, "Peak memory: the
tensor memory pool"). The trace is perf's record of uprobes on c10::alloc_cpu (size in, pointer out) and c10::free_cpu:

    L=artifacts/bin/XRay.Bench/release/runtimes/linux-x64/native/libc10.so      # as root; addresses from `nm -D $L`
    perf probe -x $L -a 'ac=0x96df0 n=%di:u64' -a 'acr=0x96df0%return r=$retval:u64' -a 'fc=0x96de0 p=%di:u64'
    perf record -e probe_libc10:ac -e probe_libc10:acr__return -e probe_libc10:fc -o alloc.data \\
        artifacts/bin/XRay.Bench/release/XRay.Bench case epochs ... --epochs 2
    perf script -i alloc.data -F tid,event,trace > alloc.txt
    /usr/bin/python3 bench/python/allocator_simulation.py alloc.txt --steps 126

Prints, for blocks of 1 MiB and more: the live peak, and the resident peak under each policy.
"""
import argparse
import bisect
import collections

MIB = 1 << 20


def read_trace(path):
    pending, events = {}, []
    for line in open(path):
        tid = line.split()[0]
        if "probe_libc10:ac:" in line:
            pending[tid] = int(line.rsplit("n=", 1)[1])
        elif "acr__return" in line:
            events.append(("alloc", int(line.rsplit("r=", 1)[1]), pending.pop(tid)))
        elif "probe_libc10:fc" in line:
            events.append(("free", int(line.rsplit("p=", 1)[1]), 0))
    return events


def pages(n):
    return (n + 4095) // 4096 * 4096


def large_blocks(events, threshold):
    """(kind, id, bytes) for blocks of at least threshold bytes, frees matched to their allocation."""
    sizes = {}
    for kind, pointer, n in events:
        if kind == "alloc":
            sizes[pointer] = n
            if n >= threshold:
                yield "alloc", pointer, pages(n)
        elif pointer in sizes:
            n = sizes.pop(pointer)
            if n >= threshold:
                yield "free", pointer, pages(n)


def live_peak(blocks):
    live = peak = 0
    for kind, _, n in blocks:
        live += n if kind == "alloc" else -n
        peak = max(peak, live)
    return peak


def exact_size_cache(blocks):
    """Freed blocks reused only by a request of the same size, never returned (a caching allocator without splitting)."""
    idle, footprint = collections.Counter(), 0
    for kind, _, n in blocks:
        if kind == "free":
            idle[n] += 1
        elif idle[n]:
            idle[n] -= 1
        else:
            footprint += n
    return footprint


def best_fit_heap(blocks):
    """One address range, best fit with splitting and merging, grown at the top when nothing fits (a heap of its own)."""
    free, where, top, high = [], {}, 0, 0
    for kind, pointer, n in blocks:
        if kind == "alloc":
            fits = [(size, i) for i, (start, size) in enumerate(free) if size >= n]
            if fits:
                size, i = min(fits)
                start = free[i][0]
                if size == n:
                    free.pop(i)
                else:
                    free[i] = [start + n, size - n]
            else:
                if free and free[-1][0] + free[-1][1] == top:
                    top = free.pop()[0]
                start, top = top, top + n
                high = max(high, top)
            where[pointer] = (start, n)
        else:
            start, n = where.pop(pointer)
            i = bisect.bisect_left(free, [start, 0])
            free.insert(i, [start, n])
            if i + 1 < len(free) and free[i][0] + free[i][1] == free[i + 1][0]:
                free[i][1] += free.pop(i + 1)[1]
            if i > 0 and free[i - 1][0] + free[i - 1][1] == free[i][0]:
                free[i - 1][1] += free.pop(i)[1]
    return high


def page_pool(blocks):
    """TensorMemoryPool's policy: best fit in place among free blocks (neighbours merged), else free blocks' pages moved
    into fresh address space; returns the resident peak, the moves and the bytes moved."""
    free, where, top, live, idle, resident, moves, moved = {}, {}, 0, 0, 0, 0, 0, 0  # free: start -> size

    def take(start, size, n):
        del free[start]
        if size > n:
            free[start + n] = size - n

    for kind, pointer, n in blocks:
        if kind == "alloc":
            fits = [(size, start) for start, size in free.items() if size >= n]
            if fits:
                size, start = min(fits)
                take(start, size, n)
                left = 0
            else:
                start, top, left = top, top + n, n
                while left and free:
                    covering = [(size, s) for s, size in free.items() if size >= left]
                    size, source = min(covering) if covering else max((size, s) for s, size in free.items())
                    piece = min(size, left)
                    take(source, size, piece)
                    left -= piece
                    moves += 1
                    moved += piece
            idle -= n - left  # what was not moved in is fresh
            where[pointer] = (start, n)
            live += n
            resident = max(resident, live + idle)
        else:
            start, n = where.pop(pointer)
            live -= n
            idle += n
            before = next((s for s, size in free.items() if s + size == start), None)
            if before is not None:
                start, n = before, free.pop(before) + n
            if start + n in free:
                n += free.pop(start + n)
            free[start] = n
    return resident, moves, moved


def main():
    p = argparse.ArgumentParser()
    p.add_argument("trace")
    p.add_argument("--steps", type=int, default=1, help="training steps in the trace, for per-step figures")
    p.add_argument("--threshold", type=int, default=MIB)
    a = p.parse_args()
    blocks = list(large_blocks(read_trace(a.trace), a.threshold))
    allocated = sum(n for kind, _, n in blocks if kind == "alloc")
    print(f"blocks >= {a.threshold / MIB:g} MiB: {allocated / MIB / a.steps:.0f} MiB allocated per step")
    print(f"live peak:                       {live_peak(blocks) / MIB:7.1f} MiB")
    print(f"exact-size cache, resident peak: {exact_size_cache(blocks) / MIB:7.1f} MiB")
    print(f"best-fit heap, resident peak:    {best_fit_heap(blocks) / MIB:7.1f} MiB")
    resident, moves, moved = page_pool(blocks)
    print(f"page pool, resident peak:        {resident / MIB:7.1f} MiB, {moves / a.steps:.1f} moves "
          f"and {moved / MIB / a.steps:.0f} MiB moved per step")


if __name__ == "__main__":
    main()
