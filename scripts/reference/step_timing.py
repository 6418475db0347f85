"""The timing rules `simvae bench` follows for its training steps, for the PyTorch reference scripts: after the
warm-up, `rounds` rounds that each measure the 2048³ float32 matmul peak (best of 3) and then time their share of
the steps; images/s, the peak, the fraction of peak and the phase milliseconds are medians over the rounds."""
import statistics
import time

import torch


def measure(step, phases, images, flops_per_image, steps, rounds=5):
    """Times `step()` (one training step that adds its forward, backward and optimizer seconds to `phases`, a list
    of three), `images` images each. Returns the medians: images/s, matmul GFLOP/s, fraction of peak and the
    [forward, backward, optimizer] milliseconds per step."""
    n = 2048
    a, b = torch.rand(n, n), torch.rand(n, n)
    a @ b

    def matmul_gflops():
        best = min((lambda t0: (a @ b, time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(3))
        return 2 * n ** 3 / best / 1e9

    rounds = max(1, min(rounds, steps))
    rates, peaks, fractions, milliseconds = [], [], [], []
    for index in range(rounds):
        peak = matmul_gflops()
        count = steps // rounds + (1 if index < steps % rounds else 0)
        phases[:] = [0.0, 0.0, 0.0]
        start = time.perf_counter()
        for _ in range(count):
            step()
        rate = images * count / (time.perf_counter() - start)
        rates.append(rate)
        peaks.append(peak)
        fractions.append(rate * flops_per_image / 1e9 / peak)
        milliseconds.append([1000 * phase / count for phase in phases])
    median = statistics.median
    return (median(rates), median(peaks), median(fractions),
            [median(m[index] for m in milliseconds) for index in range(3)])


def print_figures(prefix, figures):
    """Prints what `measure` returned, one `name value` line each, the names starting with `prefix`."""
    rate, peak, fraction, milliseconds = figures
    print(f"{prefix}_images_per_s {rate:.2f}")
    print(f"pytorch_matmul_gflops {peak:.1f}")
    print(f"{prefix}_fraction_of_peak {fraction:.4f}")
    for name, value in zip(["forward", "backward", "optimizer"], milliseconds):
        print(f"{prefix}_{name}_ms {value:.2f}")


def timed_step(loss, optimizer, phases):
    """One training step: `loss()` (the forward pass with the loss), its backward pass and `optimizer.step()`, each
    phase's seconds added to `phases` ([forward, backward, optimizer])."""
    start = time.perf_counter()
    optimizer.zero_grad(set_to_none=True)
    value = loss()
    forward = time.perf_counter()
    value.backward()
    backward = time.perf_counter()
    optimizer.step()
    end = time.perf_counter()
    phases[0] += forward - start
    phases[1] += backward - forward
    phases[2] += end - backward
