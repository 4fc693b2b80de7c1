"""Training throughput of each stage of the fastai workflow on this machine, printed as JSON.

For the generator (stage 1), the critic (stage 2) and the GAN (stage 3), at 64 and 128 px: images per second over
timed training batches (after 2 warm-up batches), data loading included, and each model's parameter count.
Usage: python benchmarks/train_speed.py [--arch resnet34] [--bs 8] [--batches 8] [--sizes 64 128]
"""
import argparse, json, platform, tempfile, time, warnings
warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, torch
from fastai.callback.core import Callback
from fastai.torch_core import set_seed
from gan_restore.datasets import demo_images
from gan_restore.data import clean_pairs, paired_dls
from gan_restore.generator import generator_learner
from gan_restore.critic import save_generated, critic_dls, critic_learner
from gan_restore.gan import gan_learner

class BatchTimer(Callback):
    "Wall time between the ends of consecutive training batches; stops the fit after `n` of them."
    order = 99
    def __init__(self, n, warmup=2): self.n, self.warmup, self.times = n, warmup, []
    def before_fit(self): self.last = time.perf_counter()
    def after_batch(self):
        if not self.training: return
        now = time.perf_counter(); self.times.append(now - self.last); self.last = now
        if len(self.times) >= self.n + self.warmup: raise __import__('fastai').callback.core.CancelFitException()

def images_per_second(learn, bs, n):
    t = BatchTimer(n)
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-4, cbs=t)
    return round(bs/float(np.median(t.times[t.warmup:])), 2)

def n_params(m): return sum(p.numel() for p in m.parameters())

p = argparse.ArgumentParser()
p.add_argument('--arch', default='resnet34'); p.add_argument('--bs', type=int, default=8)
p.add_argument('--batches', type=int, default=8); p.add_argument('--sizes', type=int, nargs='+', default=[64, 128])
p.add_argument('--critic-nf', type=int, default=128)
a = p.parse_args()
set_seed(0)
out = dict(machine=dict(cpu=platform.processor() or platform.machine(), threads=torch.get_num_threads(),
                        device='cuda' if torch.cuda.is_available() else 'cpu', torch=torch.__version__),
           arch=a.arch, bs=a.bs, timed_batches=a.batches, results=[])
for size in a.sizes:
    tmp = Path(tempfile.mkdtemp())
    dls = paired_dls(clean_pairs(demo_images()), spec='gaussian:25', size=size, bs=a.bs, repeat=a.bs*(a.batches + 3), valid_pct=0.25)
    gen = generator_learner(dls, arch=a.arch, pretrained=False, path=tmp)
    gen.unfreeze()
    r = dict(size=size, generator=dict(images_per_s=images_per_second(gen, a.bs, a.batches), params=n_params(gen.model)))
    save_generated(gen, tmp/'image_gen', max_items=a.bs*(a.batches + 3))
    crit = critic_learner(critic_dls(tmp/'image_gen', bs=a.bs), size=size, nf=a.critic_nf, path=tmp)
    r['critic'] = dict(images_per_s=images_per_second(crit, a.bs, a.batches), params=n_params(crit.model))
    gan = gan_learner(gen, crit)
    r['gan'] = dict(images_per_s=images_per_second(gan, a.bs, a.batches), params=n_params(gan.model),
                    note='critic and generator steps alternate (AdaptiveGANSwitcher)')
    out['results'].append(r)
print(json.dumps(out, indent=1))
