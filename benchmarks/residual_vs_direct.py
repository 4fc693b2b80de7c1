"""Residual (input + correction, zero-initialised head) against direct output: the same U-Net, data, seed and epochs.

Prints JSON: the noisy input's validation PSNR and, for each variant, validation PSNR/SSIM after each epoch.
Usage: python benchmarks/residual_vs_direct.py [--train DIR] [--valid DIR] [--arch resnet34] [--epochs 8] [--size 64]
Without --train/--valid it splits scikit-image's bundled photos (gan_restore.datasets.demo_images).
"""
import argparse, json, time, warnings
warnings.filterwarnings('ignore', category=FutureWarning)
from fastai.torch_core import set_seed
from gan_restore.data import clean_pairs, paired_dls, to_uint8
from gan_restore.datasets import demo_images
from gan_restore.generator import generator_learner
from gan_restore.metrics import psnr

p = argparse.ArgumentParser()
p.add_argument('--train'); p.add_argument('--valid')
p.add_argument('--arch', default='resnet34'); p.add_argument('--epochs', type=int, default=8)
p.add_argument('--size', type=int, default=64); p.add_argument('--bs', type=int, default=16)
p.add_argument('--spec', default='gaussian:25'); p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--repeat', type=int, default=1); p.add_argument('--max-train', type=int, default=None)
a = p.parse_args()

train = clean_pairs(a.train or demo_images())[:a.max_train]
valid = clean_pairs(a.valid) if a.valid else None
out = {'arch': a.arch, 'size': a.size, 'epochs': a.epochs, 'spec': a.spec, 'pretrained': False, 'runs': {}}
for residual in (True, False):
    set_seed(0, reproducible=True)
    dls = paired_dls(train, spec=a.spec, size=a.size, bs=a.bs, valid=valid, valid_size=128, repeat=a.repeat)
    if 'input_psnr' not in out:
        out['input_psnr'] = round(float(sum(psnr(to_uint8(x, dls), to_uint8(y, dls)).sum() for x, y in dls.valid)/len(dls.valid_ds)), 3)
    learn = generator_learner(dls, arch=a.arch, pretrained=False, residual=residual)
    t = time.time()
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(a.epochs, a.lr)
    h = learn.recorder.values
    out['runs']['residual' if residual else 'direct'] = {
        'psnr': [round(v[2], 3) for v in h], 'ssim': [round(v[3], 4) for v in h],
        'best_psnr': round(max(v[2] for v in h), 3), 'seconds': round(time.time() - t, 1)}
print(json.dumps(out, indent=1))
