using System.Text.RegularExpressions;

namespace ParaSlm.Analyzer.Tests.Offload;

/// <summary>
/// Runs a generated `.cu` on a machine without a GPU or CUDA toolkit, as C++: a stand-in `paraslm_cuda.h` (found before
/// the generated one) gives each launch real concurrency — every block's threads are OS threads meeting at a real barrier
/// for `__syncthreads()`, `__shared__` storage is shared by them — and device memory is separate, poisoned heap memory
/// with copies exactly as the launcher asks. A wrong block reduction, a missing copy or a wrong host fold then changes the
/// program's output, as it would on a GPU.
/// </summary>
internal static partial class CudaEmulation
{
    public const string Header = """
        #pragma once
        #include <barrier>
        #include <cmath>
        #include <cstdio>
        #include <cstdlib>
        #include <cstring>
        #include <thread>
        #include <vector>
        #define __global__
        #define __device__
        #define __host__
        #define __restrict__
        #define __shared__ static
        static thread_local unsigned paraslm_tid, paraslm_bid;
        static unsigned paraslm_bdim, paraslm_gdim;
        static std::barrier<> *paraslm_barrier;
        #define PARASLM_TID paraslm_tid
        #define PARASLM_BID paraslm_bid
        #define PARASLM_BDIM paraslm_bdim
        #define PARASLM_GDIM paraslm_gdim
        #define __syncthreads() paraslm_barrier->arrive_and_wait()
        typedef int cudaError_t;
        enum { cudaSuccess = 0, cudaMemcpyHostToDevice = 1, cudaMemcpyDeviceToHost = 2 };
        static cudaError_t cudaGetDeviceCount(int *n) { *n = 1; return cudaSuccess; }
        static cudaError_t cudaMalloc(void **p, size_t n) { *p = malloc(n ? n : 1); if (*p) memset(*p, 0x7f, n); return *p ? cudaSuccess : 2; }
        static cudaError_t cudaMemcpy(void *d, const void *s, size_t n, int) { memcpy(d, s, n); return cudaSuccess; }
        static cudaError_t cudaMemset(void *p, int v, size_t n) { memset(p, v, n); return cudaSuccess; }
        static cudaError_t cudaFree(void *p) { free(p); return cudaSuccess; }
        static cudaError_t cudaGetLastError() { return cudaSuccess; }
        static cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }
        template <class F> static void paraslm_launch(unsigned blocks, unsigned threads, F kernel) {
            paraslm_gdim = blocks;
            paraslm_bdim = threads;
            for (unsigned b = 0; b < blocks; b++) {
                std::barrier<> bar(threads);
                paraslm_barrier = &bar;
                std::vector<std::thread> team;
                for (unsigned t = 0; t < threads; t++) team.emplace_back([=] { paraslm_tid = t; paraslm_bid = b; kernel(); });
                for (auto &t : team) t.join();
            }
        }
        """;

    /// <summary>The `.cu` text with each `kernel&lt;&lt;&lt;blocks, threads&gt;&gt;&gt;(args);` launch run by the emulation.</summary>
    public static string Apply(string cu)
    {
        var result = Launch().Replace(cu, "paraslm_launch($2, $3, [&] { $1($4); });");
        Assert.That(result, Is.Not.EqualTo(cu), "the .cu launches a kernel");
        return result;
    }

    [GeneratedRegex(@"(\w+)<<<([^,]+), (\d+)>>>\((.*)\);")]
    private static partial Regex Launch();
}
