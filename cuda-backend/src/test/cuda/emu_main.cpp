// A CUDA device emulated in a process: the Java tests (EmulatedDevice) drive it over stdin/stdout with the same
// calls they make on a real GPU (alloc, upload, download, fill, launch), and the kernels are recurrent.cu's own,
// compiled as C++. Every buffer is its own heap block, so AddressSanitizer reports a kernel that strays outside one.
//
// Protocol, little-endian. Each request is one command byte and its fields; each reply is a status byte (0 ok,
// 1 error followed by a u32 length and a message) and, where the command returns something, its payload.
//   'A' u64 floats                          -> u32 buffer id
//   'F' u32 id
//   'U' u32 id, u64 offset, u64 n, n x f32   (offsets and counts in floats)
//   'D' u32 id, u64 offset, u64 n           -> n x f32
//   'S' u32 id, u64 offset, u64 n, u32 bits  fill with one 32-bit pattern
//   'L' u16 name length, name, u32 gridX, gridY, blockX, blockY, u16 args, each 'p' u32 id (0xffffffff: null)
//       u64 offset | 'i' i32 | 'f' f32
//   'Q'                                      quit
#include "cuda_emu.h"
#include "recurrent.cu"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

struct Buffer {
    std::unique_ptr<float[]> data;
    uint64_t size;
};

std::map<uint32_t, Buffer> buffers;
uint32_t next_id = 1;

void read_exact(void* p, size_t n) {
    if (fread(p, 1, n, stdin) != n) throw std::runtime_error("EOF");
}

template <typename T> T get() {
    T v;
    read_exact(&v, sizeof v);
    return v;
}

void put(const void* p, size_t n) {
    fwrite(p, 1, n, stdout);
}

Buffer& buffer(uint32_t id) {
    auto it = buffers.find(id);
    if (it == buffers.end()) throw std::invalid_argument("no buffer " + std::to_string(id));
    return it->second;
}

float* span(uint32_t id, uint64_t off, uint64_t n) {
    Buffer& b = buffer(id);
    if (off > b.size || n > b.size - off)
        throw std::invalid_argument("range [" + std::to_string(off) + ", +" + std::to_string(n) + ") outside buffer "
                                    + std::to_string(id) + " of " + std::to_string(b.size) + " floats");
    return b.data.get() + off;
}

struct Arg {
    char type;
    float* p;
    int i;
    float f;
};

struct Args {
    std::string kernel;
    std::vector<Arg> v;
    void expect(size_t n) const {
        if (v.size() != n)
            throw std::invalid_argument(kernel + " takes " + std::to_string(n) + " arguments, got "
                                        + std::to_string(v.size()));
    }
    const Arg& at(size_t k, char t) const {
        if (v[k].type != t)
            throw std::invalid_argument(kernel + " argument " + std::to_string(k) + " must be '" + t + "', got '"
                                        + v[k].type + "'");
        return v[k];
    }
    float* p(size_t k) const { return at(k, 'p').p; }
    int i(size_t k) const { return at(k, 'i').i; }
    float f(size_t k) const { return at(k, 'f').f; }
};

struct Kernel {
    size_t args;
    bool syncs;   // uses __syncthreads: its block's threads must run concurrently
    std::function<void(const Args&)> call;
};

const std::map<std::string, Kernel> kernels = {
    {"gemm", {12, true, [](const Args& a) {
         gemm(a.i(0), a.i(1), a.i(2), a.p(3), a.i(4), a.i(5), a.p(6), a.i(7), a.i(8), a.p(9), a.i(10), a.f(11)); }}},
    {"add_bias", {4, false, [](const Args& a) { add_bias(a.i(0), a.i(1), a.p(2), a.p(3)); }}},
    {"col_sum", {5, false, [](const Args& a) { col_sum(a.i(0), a.i(1), a.p(2), a.i(3), a.p(4)); }}},
    {"rnn_fwd", {8, false, [](const Args& a) {
         rnn_fwd(a.i(0), a.i(1), a.i(2), a.p(3), a.p(4), a.p(5), a.p(6), a.p(7)); }}},
    {"rnn_bwd", {8, false, [](const Args& a) {
         rnn_bwd(a.i(0), a.i(1), a.i(2), a.p(3), a.p(4), a.p(5), a.p(6), a.p(7)); }}},
    {"lstm_fwd", {9, false, [](const Args& a) {
         lstm_fwd(a.i(0), a.i(1), a.p(2), a.p(3), a.p(4), a.p(5), a.p(6), a.p(7), a.p(8)); }}},
    {"lstm_bwd", {10, false, [](const Args& a) {
         lstm_bwd(a.i(0), a.i(1), a.p(2), a.p(3), a.p(4), a.p(5), a.p(6), a.p(7), a.p(8), a.p(9)); }}},
    {"gru_fwd", {9, false, [](const Args& a) {
         gru_fwd(a.i(0), a.i(1), a.p(2), a.p(3), a.p(4), a.p(5), a.p(6), a.p(7), a.p(8)); }}},
    {"gru_bwd", {10, false, [](const Args& a) {
         gru_bwd(a.i(0), a.i(1), a.p(2), a.p(3), a.p(4), a.p(5), a.p(6), a.p(7), a.p(8), a.p(9)); }}},
    {"gru_rb_reset", {7, false, [](const Args& a) {
         gru_rb_reset(a.i(0), a.i(1), a.p(2), a.p(3), a.p(4), a.p(5), a.p(6)); }}},
    {"gru_rb_fwd", {10, false, [](const Args& a) {
         gru_rb_fwd(a.i(0), a.i(1), a.p(2), a.p(3), a.p(4), a.p(5), a.p(6), a.p(7), a.p(8), a.p(9)); }}},
    {"gru_rb_bwd_candidate", {9, false, [](const Args& a) {
         gru_rb_bwd_candidate(a.i(0), a.i(1), a.p(2), a.p(3), a.p(4), a.p(5), a.p(6), a.p(7), a.p(8)); }}},
    {"gru_rb_bwd_reset", {9, false, [](const Args& a) {
         gru_rb_bwd_reset(a.i(0), a.i(1), a.p(2), a.p(3), a.p(4), a.p(5), a.p(6), a.p(7), a.p(8)); }}},
};

void launch() {
    uint16_t len = get<uint16_t>();
    Args a;
    a.kernel.resize(len);
    read_exact(a.kernel.data(), len);
    dim3 grid{get<uint32_t>(), get<uint32_t>(), 1};
    dim3 block{get<uint32_t>(), get<uint32_t>(), 1};
    uint16_t n = get<uint16_t>();
    for (uint16_t k = 0; k < n; k++) {
        Arg arg{get<char>(), nullptr, 0, 0.0f};
        if (arg.type == 'p') {
            uint32_t id = get<uint32_t>();
            uint64_t off = get<uint64_t>();
            arg.p = id == 0xffffffffu ? nullptr : span(id, off, 0);
        } else if (arg.type == 'i') {
            arg.i = get<int32_t>();
        } else if (arg.type == 'f') {
            arg.f = get<float>();
        } else {
            throw std::invalid_argument(std::string("unknown argument type '") + arg.type + "'");
        }
        a.v.push_back(arg);
    }
    auto it = kernels.find(a.kernel);
    if (it == kernels.end()) throw std::invalid_argument("no kernel named " + a.kernel);
    a.expect(it->second.args);
    if (grid.x == 0 || grid.y == 0 || block.x * block.y == 0 || block.x * block.y > 1024)
        throw std::invalid_argument(a.kernel + ": invalid launch configuration");
    emu_launch(grid, block, it->second.syncs, [&] { it->second.call(a); });
}

}  // namespace

int main() {
    for (;;) {
        int cmd = fgetc(stdin);
        if (cmd == EOF || cmd == 'Q') return 0;
        try {
            std::vector<float> payload;
            uint32_t id_out = 0;
            bool has_id = false;
            switch (cmd) {
                case 'A': {
                    uint64_t n = get<uint64_t>();
                    buffers[next_id] = Buffer{std::make_unique<float[]>(n == 0 ? 1 : n), n};
                    id_out = next_id++;
                    has_id = true;
                    break;
                }
                case 'F':
                    buffers.erase(get<uint32_t>());
                    break;
                case 'U': {
                    uint32_t id = get<uint32_t>();
                    uint64_t off = get<uint64_t>();
                    uint64_t n = get<uint64_t>();
                    std::vector<float> data(n);
                    read_exact(data.data(), n * sizeof(float));
                    std::memcpy(span(id, off, n), data.data(), n * sizeof(float));
                    break;
                }
                case 'D': {
                    uint32_t id = get<uint32_t>();
                    uint64_t off = get<uint64_t>();
                    uint64_t n = get<uint64_t>();
                    float* p = span(id, off, n);
                    payload.assign(p, p + n);
                    break;
                }
                case 'S': {
                    uint32_t id = get<uint32_t>();
                    uint64_t off = get<uint64_t>();
                    uint64_t n = get<uint64_t>();
                    uint32_t bits = get<uint32_t>();
                    float v;
                    std::memcpy(&v, &bits, sizeof v);
                    float* p = span(id, off, n);
                    for (uint64_t k = 0; k < n; k++) p[k] = v;
                    break;
                }
                case 'L':
                    launch();
                    break;
                default:
                    throw std::invalid_argument("unknown command " + std::to_string(cmd));
            }
            put("\0", 1);
            if (has_id) put(&id_out, sizeof id_out);
            if (!payload.empty()) put(payload.data(), payload.size() * sizeof(float));
        } catch (const std::exception& e) {
            std::string m = e.what();
            if (m == "EOF") return 1;
            uint32_t len = static_cast<uint32_t>(m.size());
            put("\1", 1);
            put(&len, sizeof len);
            put(m.data(), len);
        }
        fflush(stdout);
    }
}
