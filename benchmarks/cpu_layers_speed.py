"""What `generator.cpu_fast_layers` buys on this CPU, in the precision training uses here (`fast_settings`); JSON on stdout.

Two parts, each measured with the two (or three) settings in turn in one process, so that a slow minute of a shared
machine weighs on all of them:
- `convolutions`: forward and backward of single convolutions at batches of 8, PyTorch's `nn.Conv2d` (oneDNN) against
  `SmallMapConv2d` (unfold and one matrix product), on the small maps of 64-px crops: the generator's 3x3 ones onto
  2x2 maps, a 4x4 map (left to oneDNN by `SmallMapConv2d.small`), pix2pix's strided 4x4 ones onto 2x2 and 1x1 maps and
  the critic's last strided one onto 4x4; milliseconds, the median of `--reps` after 2 warm-ups, median of 3 rounds.
- `step`: a whole 64-px generator training step (resnet34 U-Net, residual, MSE, fused AdamW, batches of 8) with
  PyTorch's layers, with the small-map convolutions alone, and with all of `CPU_FAST_LAYERS`: copies of one model,
  `--steps` steps each in turn for `--rounds` rounds; seconds, the median step.
Usage: python benchmarks/cpu_layers_speed.py [--rounds 16] [--steps 4] [--reps 10]
"""
import argparse, json, platform, time, warnings
warnings.filterwarnings('ignore')
import numpy as np, torch
from torch import nn
import torch.nn.functional as F
from gan_restore.data import native_bf16
from gan_restore.generator import generator_model, SmallMapConv2d, CPU_FAST_LAYERS, fast_settings, autocast_dtype

p = argparse.ArgumentParser()
p.add_argument('--rounds', type=int, default=16); p.add_argument('--steps', type=int, default=4); p.add_argument('--reps', type=int, default=10)
a = p.parse_args()
prec = fast_settings('cpu', training=True)[0]
amp = dict(device_type='cpu', dtype=autocast_dtype(prec), enabled=prec != 'fp32')

def fwd_bwd_ms(m, x, n):
    ts = []
    for _ in range(n + 2):
        x.grad = None; s = time.perf_counter()
        with torch.autocast(**amp): y = m(x)
        y.float().sum().backward(); ts.append(time.perf_counter() - s)
    return float(np.median(ts[2:]))*1e3

convs = []
for name, (ci, co, hw, k, s, pad) in {'generator 3x3, 512 to 512, 2x2 map': (512, 512, 2, 3, 1, 1),
                                      'generator 3x3, 1024 to 512, 2x2 map': (1024, 512, 2, 3, 1, 1),
                                      'generator 3x3, 512 to 1024, 2x2 map': (512, 1024, 2, 3, 1, 1),
                                      'generator 3x3, 256 to 256, 4x4 map (oneDNN either way)': (256, 256, 4, 3, 1, 1),
                                      'pix2pix 4x4 stride 2, 512 to 512, onto 2x2': (512, 512, 4, 4, 2, 1),
                                      'pix2pix 4x4 stride 2, 512 to 512, onto 1x1': (512, 512, 2, 4, 2, 1),
                                      'critic 4x4 stride 2, 256 to 256, onto 4x4': (256, 256, 8, 4, 2, 1)}.items():
    x = torch.randn(8, ci, hw, hw, requires_grad=True)
    torch_conv = nn.Conv2d(ci, co, k, stride=s, padding=pad); ours = SmallMapConv2d(ci, co, k, stride=s, padding=pad)
    ours.load_state_dict(torch_conv.state_dict())
    r = np.median([(fwd_bwd_ms(torch_conv, x, a.reps), fwd_bwd_ms(ours, x, a.reps)) for _ in range(3)], 0)
    convs.append(dict(conv=name, torch_ms=round(float(r[0]), 2), ours_ms=round(float(r[1]), 2), speedup=round(float(r[0]/r[1]), 2)))

torch.manual_seed(0)
sd = generator_model('resnet34', size=64).state_dict()
def model(swap):
    m = generator_model('resnet34', size=64).train(); m.load_state_dict(sd)
    for o in m.modules():
        if type(o) in swap: o.__class__ = swap[type(o)]
    return m
models = {'torch layers': model({}), 'small-map convolutions only': model({nn.Conv2d: SmallMapConv2d}), 'all CPU_FAST_LAYERS': model(CPU_FAST_LAYERS)}
opts = {k: torch.optim.AdamW(m.parameters(), 1e-3, fused=True) for k, m in models.items()}
x, y = torch.randn(8, 3, 64, 64), torch.randn(8, 3, 64, 64)
def step(k):
    s = time.perf_counter()
    with torch.autocast(**amp): loss = F.mse_loss(models[k](x).float(), y)
    opts[k].zero_grad(); loss.backward(); opts[k].step()
    return time.perf_counter() - s
for k in models: step(k); step(k)
times = {k: [] for k in models}
for _ in range(a.rounds):
    for k in models: times[k] += [step(k) for _ in range(a.steps)]
med = {k: float(np.median(v)) for k, v in times.items()}
print(json.dumps(dict(machine=dict(cpu=platform.processor() or platform.machine(), native_bf16=native_bf16(), threads=torch.get_num_threads(), torch=torch.__version__),
                      precision=prec, convolutions=convs,
                      step=dict(what='64-px generator step, batches of 8, resnet34 U-Net, fused AdamW', rounds=a.rounds, steps_each=a.steps,
                                median_s={k: round(v, 3) for k, v in med.items()},
                                speedup={k: round(med['torch layers']/v, 3) for k, v in med.items()})), indent=1))
