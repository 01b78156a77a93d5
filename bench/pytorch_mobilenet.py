#!/usr/bin/env python3
"""PyTorch peer of `fer-au bench`: the same MobileNet-v1-shaped network on the CPU, for ratios on one machine.

Keras layout as in lib/bench/ops_mobilenet_v1.ts and lib/models' MobileNet-v1: conv1 3x3/2 after zero padding (0,1),(0,1); 13 depthwise-separable
blocks (explicit (0,1) zero padding before stride-2 depthwise convs, 'same' otherwise); BatchNorm(eps 1e-3) + ReLU6
after every convolution; global average pooling; Dense(8). Training step: Adam(1e-4), BCE-with-logits, batch 16;
forward: eval mode, batch 32, no grad. Median of --steps timed steps after one warm-up, per thread count.

Needs Debian's python3-torch (1.13): apt-get install -y python3-torch.
Usage: python3 bench/pytorch_mobilenet.py [--sizes 128,224] [--threads 1,2] [--modes forward,train] [--steps 3] [--json]
peakRssBytes is the process's peak RSS (getrusage) after each case: run one case per process (as fer-au bench
does) for a per-case peak.
"""
import argparse
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
          (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]


class ConvBnRelu6(nn.Module):
    def __init__(self, cin, cout, k, stride, groups=1):
        super().__init__()
        self.stride = stride
        self.k = k
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=0, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)

    def forward(self, x):
        if self.stride == 2:
            x = F.pad(x, (0, 1, 0, 1))  # Keras ZeroPadding2D(((0, 1), (0, 1)))
        elif self.k == 3:
            x = F.pad(x, (1, 1, 1, 1))  # 'same'
        return F.relu6(self.bn(self.conv(x)))


class MobileNetV1(nn.Module):
    def __init__(self, classes=8):
        super().__init__()
        layers = [ConvBnRelu6(3, 32, 3, 2)]
        cin = 32
        for cout, stride in BLOCKS:
            layers.append(ConvBnRelu6(cin, cin, 3, stride, groups=cin))
            layers.append(ConvBnRelu6(cin, cout, 1, 1))
            cin = cout
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        return self.fc(self.features(x).mean((2, 3)))


def calibrate(net, x):
    """Running statistics := those of batch x (as fer-au bench does). With the initial statistics (mean 0, var 1)
    a random network's eval activations decay into denormal floats, which made eval 5-18x slower here."""
    bns = [m for m in net.modules() if isinstance(m, nn.BatchNorm2d)]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average: after one batch, exactly that batch's statistics
    net.train()
    with torch.no_grad():
        net(x)
    for m in bns:
        m.momentum = 0.01


def timed(fn, warmup, steps):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return ts


def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes


def report(r):
    print(f"  pytorch {r['threads']}t {r['inputSize']} {r['mode']}: {r['imagesPerS']:.2f} img/s, "
          f"{r['peakRssBytes'] / 2**30:.2f} GiB peak RSS", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sizes', default='128,224')
    ap.add_argument('--threads', default='1')
    ap.add_argument('--steps', type=int, default=3)
    ap.add_argument('--modes', default='forward,train')
    ap.add_argument('--train-batch', type=int, default=16)
    ap.add_argument('--forward-batch', type=int, default=32)
    ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    torch.manual_seed(1)
    modes = a.modes.split(',')
    for m in modes:
        if m not in ('forward', 'train'):
            ap.error(f"--modes: unknown '{m}' (valid: forward, train)")
    results = []
    for threads in [int(t) for t in a.threads.split(',')]:
        torch.set_num_threads(threads)
        for size in [int(s) for s in a.sizes.split(',')]:
            net = MobileNetV1()
            if 'forward' in modes:
                xf = torch.rand(a.forward_batch, 3, size, size) * 2 - 1
                calibrate(net, xf)
                net.eval()

                def fwd():
                    with torch.no_grad():
                        net(xf)
                ts = timed(fwd, 1, a.steps)
                results.append({'threads': threads, 'inputSize': size, 'mode': 'forward', 'batch': a.forward_batch,
                                'stepS': ts, 'imagesPerS': a.forward_batch / statistics.median(ts), 'peakRssBytes': peak_rss()})
                report(results[-1])
            if 'train' not in modes:
                continue
            net.train()
            opt = torch.optim.Adam(net.parameters(), lr=1e-4)
            xt = torch.rand(a.train_batch, 3, size, size) * 2 - 1
            yt = (torch.rand(a.train_batch, 8) > 0.5).float()

            def step():
                opt.zero_grad()
                loss = F.binary_cross_entropy_with_logits(net(xt), yt)
                loss.backward()
                opt.step()
            ts = timed(step, 1, a.steps)
            results.append({'threads': threads, 'inputSize': size, 'mode': 'train', 'batch': a.train_batch,
                            'stepS': ts, 'imagesPerS': a.train_batch / statistics.median(ts), 'peakRssBytes': peak_rss()})
            report(results[-1])
    out = {'torchVersion': torch.__version__, 'network': 'mobilenet_v1 (Keras layout, alpha 1, Dense(8))', 'results': results}
    if a.json:
        print(json.dumps(out))
    else:
        for r in results:
            print(f"{r['threads']}t {r['inputSize']}px {r['mode']:7s} batch {r['batch']:3d}: {r['imagesPerS']:.2f} img/s")


if __name__ == '__main__':
    main()
