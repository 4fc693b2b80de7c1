"""Real camera noise: does training raise the PSNR of photos that start high (about 36 dB), or lower it?

The seeds' "FastAI GAN on SIDD" lowered PSNR from 38.66 to 37.21 dB. This trains `train_restorer` on real (noisy,
clean) pairs with a direct output and with the residual output (zero-initialised head: the untrained model is the
identity), each for the same minutes, and scores the held-out pairs at full size against the input and the classical
denoisers. Prints JSON: one table per variant (input, baselines, generator, GAN) and the best export's choice.
Usage: python benchmarks/real_noise.py --noisy DIR --clean DIR [--n-valid 10] [--minutes 10] [--variants residual direct]
e.g. with ../shared/data/polyu_dev/noisy and ../shared/data/polyu_dev/clean (PolyU real-world noisy images).
"""
import argparse, json, tempfile, time, warnings
from pathlib import Path
import numpy as np
warnings.filterwarnings('ignore', category=FutureWarning)
from fastai.torch_core import set_seed
from gan_restore.data import pairs_from_folders, paired_dls
from gan_restore.gan import train_restorer
from gan_restore.inference import find_export
from gan_restore.report import held_out_photos, evaluate_methods

p = argparse.ArgumentParser()
p.add_argument('--noisy', required=True); p.add_argument('--clean', required=True)
p.add_argument('--n-valid', type=int, default=10); p.add_argument('--minutes', type=float, default=10)
p.add_argument('--size', type=int, default=64); p.add_argument('--bs', type=int, default=16)
p.add_argument('--repeat', type=int, default=8); p.add_argument('--arch', default='resnet34')
p.add_argument('--variants', nargs='+', default=['residual', 'direct']); p.add_argument('--out')
a = p.parse_args()

pairs = pairs_from_folders(a.noisy, a.clean)
pairs = pairs[list(np.random.default_rng(0).permutation(len(pairs)))]   # scenes and cameras mixed in both parts
valid, train = pairs[:a.n_valid], pairs[a.n_valid:]
out = Path(a.out or tempfile.mkdtemp(prefix='real_noise_'))
res = dict(data=a.noisy, n_train=len(train), n_valid=len(valid), minutes=a.minutes, size=a.size, arch=a.arch,
           pretrained=False, out=str(out), variants={})
for v in a.variants:
    set_seed(0, reproducible=True)
    dls = paired_dls(train, valid=valid, size=a.size, bs=a.bs, repeat=a.repeat, valid_size=256)
    start = time.time()
    train_restorer(dls, out/v, arch=a.arch, residual=v == 'residual', pretrained=False, minutes=a.minutes)
    held = held_out_photos(dls, None, 0, out/'valid')
    table = evaluate_methods(out/v, held, out/'valid'/v, baselines=None if v == a.variants[0] else [])
    res['variants'][v] = dict(train_minutes=round((time.time() - start)/60, 1), best_export=find_export(out/v, 'best').name,
                              table=table.drop(columns='restore_seconds').to_dict('records'))
print(json.dumps(res, indent=1))
