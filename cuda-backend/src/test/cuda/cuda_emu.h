// Runs CUDA C kernels on the CPU, so CI can check recurrent.cu without a GPU: the threads of a block are fibers
// (ucontext) that one scheduler resumes in turn, __syncthreads hands control back to it, __shared__ memory is a
// static local (blocks run one after another), and threadIdx/blockIdx are set before each fiber runs. Only the
// subset of CUDA C that recurrent.cu uses is provided.
#pragma once
#include <functional>
#include <math.h>
#include <stdexcept>
#include <string>
#include <ucontext.h>
#include <vector>

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};

inline dim3 threadIdx;
inline dim3 blockIdx;
inline dim3 blockDim;
inline dim3 gridDim;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static

namespace emu {

struct Fiber {
    ucontext_t ctx;
    std::vector<char> stack;
    dim3 idx;
    bool done = false;
};

inline ucontext_t scheduler;
inline Fiber* running = nullptr;
inline const std::function<void()>* kernel_body = nullptr;

inline void fiber_main() {
    (*kernel_body)();
    running->done = true;
    swapcontext(&running->ctx, &scheduler);
}

}  // namespace emu

// Hands control back to the scheduler, which resumes this thread once every other thread of the block got here.
inline void __syncthreads() {
    if (emu::running == nullptr) return;   // a block run without fibers never synchronises
    swapcontext(&emu::running->ctx, &emu::scheduler);
    threadIdx = emu::running->idx;
}

// Runs body once per thread of the grid. With fibers, a block's threads interleave at each __syncthreads (needed
// where the kernel synchronises); without, they run one after another, which is the same for kernels that never do.
inline void emu_launch(dim3 grid, dim3 block, bool fibers, const std::function<void()>& body) {
    gridDim = grid;
    blockDim = block;
    static std::vector<emu::Fiber> pool;
    unsigned n = block.x * block.y * block.z;
    for (unsigned bz = 0; bz < grid.z; bz++)
        for (unsigned by = 0; by < grid.y; by++)
            for (unsigned bx = 0; bx < grid.x; bx++) {
                blockIdx = dim3{bx, by, bz};
                if (!fibers) {
                    for (unsigned tz = 0; tz < block.z; tz++)
                        for (unsigned ty = 0; ty < block.y; ty++)
                            for (unsigned tx = 0; tx < block.x; tx++) {
                                threadIdx = dim3{tx, ty, tz};
                                body();
                            }
                    continue;
                }
                if (pool.size() < n) pool.resize(n);
                emu::kernel_body = &body;
                for (unsigned k = 0; k < n; k++) {
                    emu::Fiber& f = pool[k];
                    f.stack.resize(256 * 1024);
                    f.idx = dim3{k % block.x, (k / block.x) % block.y, k / (block.x * block.y)};
                    f.done = false;
                    getcontext(&f.ctx);
                    f.ctx.uc_stack.ss_sp = f.stack.data();
                    f.ctx.uc_stack.ss_size = f.stack.size();
                    f.ctx.uc_link = nullptr;
                    makecontext(&f.ctx, emu::fiber_main, 0);
                }
                for (;;) {   // one round: every live thread runs to its next barrier or to its end
                    unsigned finished = 0;
                    for (unsigned k = 0; k < n; k++) {
                        emu::Fiber& f = pool[k];
                        if (f.done) {
                            finished++;
                            continue;
                        }
                        emu::running = &f;
                        threadIdx = f.idx;
                        swapcontext(&emu::scheduler, &f.ctx);
                        if (f.done) finished++;
                    }
                    emu::running = nullptr;
                    if (finished == n) break;
                    if (finished != 0)
                        throw std::logic_error("__syncthreads was not reached by every thread of block ("
                                               + std::to_string(blockIdx.x) + ", " + std::to_string(blockIdx.y)
                                               + ")");
                }
            }
}
