"""Training throughput of every stage, the plain fp32 step against ours, side by side on this machine; JSON on stdout.

For the generator (stage 1), the critic (stage 2), the GAN (stage 3) and the hand-built pix2pix, at 64 and 128 px:
images per second over timed training batches (after 2 warm-up batches), data loading included, and each model's
parameter count. "plain" is what the library did before it was tuned for speed and what a fastai user gets by default:
fp32, contiguous tensors, fastai's Adam, torch's spectral norm in the critic, PyTorch's transposed convolutions in
pix2pix. "ours" is the library's default for training on the device (`fast_settings(training=True)`: bf16 autocast on
a CPU with native bf16, where channels-last measured slower for training steps; fp16 and channels-last on CUDA) with
fused AdamW, the critic's `OutputSpectralNorm` (and, on crops of up to 128 px, no self-attention:
`critic.critic_attends`), pix2pix's `SmallInputConvTranspose2d`, and, on a CPU, the U-Nets' faster layers
there (`generator.cpu_fast_layers`: convolutions onto small maps as matrix products, fastai's blur as
sums of shifted views, the last cross in bf16) and glibc's malloc told to keep freed memory
(`generator.keep_freed_memory`). Each runs in its own process, the plain one with glibc's malloc as it comes, in turn,
`--rounds` times (plain, ours, plain, ours, ...): each setting's figure is the mean over the rounds of each round's
median batch, so that a slow minute of this shared machine weighs on both. Both load data the same way (the library's
loaders as they are now). The GAN step alternates one critic step and one generator step (`max_critic=1`), and its
figure is the images over the time of all its timed batches: with fastai's adaptive switching the share of critic
steps, and so the median batch, followed the critic's loss (a round measured either 42 or 62 images a second).
Batch size and critic width default to what training uses on the device (`data.crop_defaults`, `gan.train_restorer`):
batches of 8 and a 32-wide critic on a CPU, 16 and fastai's 128 on a GPU.
Usage: python benchmarks/train_speed.py [--arch resnet34] [--bs 8] [--batches 16] [--rounds 3] [--sizes 64 128] [--critic-nf 32]
"""
import argparse, contextlib, io, json, os, platform, subprocess, sys, tempfile, time, warnings
from unittest import mock
warnings.filterwarnings('ignore')
from functools import partial
from pathlib import Path
import numpy as np, torch
from fastai.callback.core import Callback, CancelFitException
from fastai.optimizer import Adam
from fastai.torch_core import set_seed
from gan_restore.datasets import demo_images
from gan_restore.data import clean_pairs, paired_dls, crop_defaults
from gan_restore.generator import generator_learner, fast_settings, resolve_precision, keep_freed_memory, speed_up, CPU_FAST_LAYERS
from gan_restore.critic import save_generated, critic_dls, critic_learner, output_spectral_norm, CRITIC_ATTENTION_ABOVE
from gan_restore.gan import gan_learner
from gan_restore.pix2pix import pix2pix_learner, PatchDiscriminator, GANLoss, SmallInputConvTranspose2d, _train_epoch

class BatchTimer(Callback):
    "Wall time between the ends of consecutive training batches; stops the fit after `n` of them."
    order = 99
    def __init__(self, n, warmup=2): self.n, self.warmup, self.times = n, warmup, []
    def before_fit(self): self.last = time.perf_counter()
    def after_batch(self):
        if not self.training: return
        now = time.perf_counter(); self.times.append(now - self.last); self.last = now
        if len(self.times) >= self.n + self.warmup: raise CancelFitException()

def images_per_second(learn, bs, n, mean=False):
    t = BatchTimer(n)
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-4, cbs=t)
    times = t.times[t.warmup:]
    return round(bs/float(np.mean(times) if mean else np.median(times)), 2)

class Stop(Exception): pass

def pix2pix_images_per_second(dls, bs, n, precision, channels_last, fused, warmup=2):
    "The pix2pix loop's own step (`_train_epoch`), timed per batch through a wrapped loader."
    learn = pix2pix_learner(dls, ngf=64)
    G, dev = learn.model, dls.device
    if not fused:   # the plain step: PyTorch's transposed convolution throughout, as the authors' code has it
        for m in G.modules():
            if type(m) is SmallInputConvTranspose2d: m.__class__ = torch.nn.ConvTranspose2d
    D = PatchDiscriminator(6, 64, 3).to(dev)
    p, cl = resolve_precision(dev, precision, channels_last, training=True)   # as `train_pix2pix` resolves them
    if fused: speed_up(learn, p, cl, cpu_layers=True)   # as `train_pix2pix` does (`cpu_fast_layers` on a CPU); not in the plain process, whose malloc stays as it comes
    if cl: G.to(memory_format=torch.channels_last); D.to(memory_format=torch.channels_last)
    opt_G = torch.optim.Adam(G.net.parameters(), lr=1e-4, betas=(0.5, 0.999), fused=fused)
    opt_D = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.5, 0.999), fused=fused)
    times = []
    class Timed:
        device = dls.train.device
        def __iter__(self):
            last = time.perf_counter()
            for b in dls.train:
                yield b
                now = time.perf_counter(); times.append(now - last); last = now
                if len(times) >= n + warmup: raise Stop()
        def __len__(self): return len(dls.train)
    amp = dict(enabled=p != 'fp32', dtype=torch.float16 if p == 'fp16' else torch.bfloat16)
    try: _train_epoch(G, D, Timed(), opt_G, opt_D, torch.amp.GradScaler(dev.type, enabled=p == 'fp16'), GANLoss().to(dev), torch.nn.L1Loss(), 100., amp)
    except Stop: pass
    return round(bs/float(np.median(times[warmup:])), 2), sum(q.numel() for q in G.parameters())

def n_params(m): return sum(p.numel() for p in m.parameters())
def ratio(r): return round(r['ours']['images_per_s']/r['plain']['images_per_s'], 2)

p = argparse.ArgumentParser()
p.add_argument('--arch', default='resnet34'); p.add_argument('--bs', type=int, default=None)
p.add_argument('--batches', type=int, default=16); p.add_argument('--rounds', type=int, default=3); p.add_argument('--sizes', type=int, nargs='+', default=[64, 128])
p.add_argument('--critic-nf', type=int, default=None)
p.add_argument('--setting', choices=['plain', 'ours'], help=argparse.SUPPRESS)   # a child process measuring one setting
a = p.parse_args()
cuda = torch.cuda.is_available()
if a.bs is None: a.bs = crop_defaults(cuda)[1]
if a.critic_nf is None: a.critic_nf = 128 if cuda else 32
STAGES = ('generator', 'critic', 'gan', 'pix2pix')

def measure(name):
    "{size: {stage: images per second and parameters}} of one setting, in this process."
    kw = dict(precision='fp32', channels_last=False) if name == 'plain' else {}
    res = {}
    with contextlib.redirect_stdout(io.StringIO()):   # progress bars and prints stay out of the JSON
        for size in a.sizes:
            set_seed(0)
            tmp = Path(tempfile.mkdtemp())
            dls = paired_dls(clean_pairs(demo_images()), spec='gaussian:25', size=size, bs=a.bs, repeat=a.bs*(a.batches + 3), valid_pct=0.25)
            r = res[size] = {}
            gen = generator_learner(dls, arch=a.arch, pretrained=False, path=tmp, **kw)
            if name == 'plain': gen.opt_func = Adam
            gen.unfreeze()
            r['generator'] = dict(images_per_s=images_per_second(gen, a.bs, a.batches), params=n_params(gen.model))
            save_generated(gen, tmp/'image_gen', max_items=a.bs*(a.batches + 3))
            with mock.patch('gan_restore.critic.output_spectral_norm', (lambda m: m) if name == 'plain' else output_spectral_norm):
                # plain: fastai's `gan_critic` as it comes, self-attention included; ours: the library's default (`critic_attends`: none up to 128 px)
                crit = critic_learner(critic_dls(tmp/'image_gen', bs=a.bs), size=size, nf=a.critic_nf, path=tmp,
                                      self_attention=True if name == 'plain' else None, **kw)
            if name == 'plain': crit.opt_func = Adam
            r['critic'] = dict(images_per_s=images_per_second(crit, a.bs, a.batches), params=n_params(crit.model))
            gan = gan_learner(gen, crit, max_critic=1, **kw)   # one critic step, one generator step
            if name == 'plain': gan.opt_func = partial(Adam, mom=0.)
            r['gan'] = dict(images_per_s=images_per_second(gan, a.bs, a.batches, mean=True), params=n_params(gan.model))
            ips, n = pix2pix_images_per_second(dls, a.bs, a.batches, kw.get('precision', 'auto'), kw.get('channels_last'), fused=name == 'ours')
            r['pix2pix'] = dict(images_per_s=ips, params=n)
    return res

if a.setting:
    print(json.dumps(measure(a.setting))); sys.exit()

# each setting in its own process, one after the other: the plain one with glibc's malloc as it comes
# (`GAN_RESTORE_MALLOC=default`), ours with the library's choice (`generator.keep_freed_memory`), which is process-wide
runs = {name: [] for name in ('plain', 'ours')}
for _ in range(a.rounds):
    for name in runs:
        env = {**os.environ, **({'GAN_RESTORE_MALLOC': 'default'} if name == 'plain' else {})}
        proc = subprocess.run([sys.executable, __file__, *sys.argv[1:], '--setting', name], capture_output=True, text=True, env=env)
        if proc.returncode: sys.exit(f"the {name} run failed:\n{proc.stderr[-3000:]}")
        runs[name].append(json.loads(proc.stdout))

def combined(rounds, size, stage):
    "One setting's images per second at `size` for `stage`: the mean over the rounds, and each round's."
    ips = [r[str(size)][stage]['images_per_s'] for r in rounds]
    return dict(images_per_s=round(float(np.mean(ips)), 2), rounds=ips, params=rounds[0][str(size)][stage]['params'])

prec, cl = fast_settings(torch.device('cuda' if cuda else 'cpu'), training=True)
kept = not cuda and keep_freed_memory()
out = dict(machine=dict(cpu=platform.processor() or platform.machine(), threads=torch.get_num_threads(),
                        device='cuda' if cuda else 'cpu', torch=torch.__version__),
           arch=a.arch, bs=a.bs, critic_nf=a.critic_nf, timed_batches=a.batches, rounds=a.rounds,
           plain='fp32, contiguous, fastai Adam, torch spectral norm, critic self-attention, nn.ConvTranspose2d, glibc malloc as it comes',
           ours=f"{prec}{', channels_last' if cl else ''}, fused AdamW, OutputSpectralNorm, critic self-attention above {CRITIC_ATTENTION_ABOVE} px, SmallInputConvTranspose2d"
                f"{''.join(', ' + c.__name__ for c in CPU_FAST_LAYERS.values()) if not cuda else ''}{', freed memory kept' if kept else ''}",
           results=[])
for size in a.sizes:
    r = dict(size=size)
    for stage in STAGES:
        r[stage] = {name: combined(runs[name], size, stage) for name in runs}
        r[stage]['speedup'] = ratio(r[stage])
    r['gan']['note'] = 'one critic step and one generator step in turn (max_critic=1); images over the time of all timed batches'
    out['results'].append(r)
print(json.dumps(out, indent=1))
