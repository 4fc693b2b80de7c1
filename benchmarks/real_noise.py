"""Real camera noise: does `gan-restore train --pairs`, with its defaults, raise the PSNR of photos that start high
(about 36 dB on PolyU), and beat total variation tuned on the same training pairs?

The seeds' "FastAI GAN on SIDD" lowered PSNR from 38.66 to 37.21 dB. This splits the pairs once (a fixed seed), trains
`gan-restore train --pairs` on the training part for --minutes with the defaults (it holds out 20% of them for its own
validation), restores the held-out pairs at full size with the run's `best` model and scores them (scikit-image, as
papers do) beside the noisy input, non-local means, BM3D (if installed) and total variation whose weight is chosen on
the training pairs. Prints JSON.
Usage: python benchmarks/real_noise.py --noisy DIR --clean DIR [--n-valid 10] [--minutes 10] [--out DIR] [--train-args '...'] [--tta]
With --tta, the run's model is also scored through the 8-view self-ensemble (`Restorer(tta=8)`) as `model_tta8`.
e.g. with ../shared/data/polyu_dev/noisy and ../shared/data/polyu_dev/clean (PolyU real-world noisy images).
"""
import argparse, contextlib, json, os, shlex, subprocess, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np
warnings.filterwarnings('ignore')
from skimage.restoration import denoise_tv_chambolle
from gan_restore.data import pairs_from_folders
from gan_restore.inference import Restorer, to_float, float_to_uint8 as u8
from gan_restore.metrics import score
from gan_restore.baselines import score_baselines, available_baselines

TV_WEIGHTS = (0.005, 0.01, 0.02, 0.04, 0.08, 0.16)

def mean_scores(outs, cleans):
    s = [score(o, c) for o, c in zip(outs, cleans)]
    return dict(psnr=round(float(np.mean([a for a, _ in s])), 3), ssim=round(float(np.mean([b for _, b in s])), 4))

def tv_tuned(train, valid):
    "Total variation with the weight that scores best on the training pairs, applied to the held-out ones."
    xs, ys = [to_float(d)[0] for d, _ in train], [u8(to_float(c)[0]) for _, c in train]
    by_w = {w: mean_scores([u8(denoise_tv_chambolle(x, weight=w, channel_axis=-1)) for x in xs], ys)['psnr'] for w in TV_WEIGHTS}
    w = max(by_w, key=by_w.get)
    outs = [u8(denoise_tv_chambolle(to_float(d)[0], weight=w, channel_axis=-1)) for d, _ in valid]
    return mean_scores(outs, [u8(to_float(c)[0]) for _, c in valid]) | dict(weight=w, train_psnr_by_weight=by_w)

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--noisy', required=True); p.add_argument('--clean', required=True)
    p.add_argument('--n-valid', type=int, default=10); p.add_argument('--minutes', type=float, default=10)
    p.add_argument('--train-args', default='', help='more `gan-restore train` arguments (default: none, its defaults)')
    p.add_argument('--out')
    p.add_argument('--tta', action='store_true', help="also score the run's model through the 8-view self-ensemble (`restore --tta 8`)")
    a = p.parse_args()
    pairs = pairs_from_folders(a.noisy, a.clean)
    pairs = pairs[list(np.random.default_rng(0).permutation(len(pairs)))]   # scenes and cameras mixed in both parts
    valid, train = pairs[:a.n_valid], pairs[a.n_valid:]
    out = Path(a.out or tempfile.mkdtemp(prefix='real_noise_'))
    for sub in ('noisy', 'clean'): (out/'train'/sub).mkdir(parents=True, exist_ok=True)
    for d, c in train:   # the training part as two folders, for `gan-restore train --pairs`
        for sub, f in (('noisy', d), ('clean', c)):
            if not (out/'train'/sub/f.name).exists(): os.symlink(Path(f).absolute(), out/'train'/sub/f.name)
    res = dict(data=a.noisy, n_train=len(train), n_valid=len(valid), minutes=a.minutes, train_args=a.train_args, out=str(out))
    cleans = [u8(to_float(c)[0]) for _, c in valid]
    res['input'] = mean_scores([u8(to_float(d)[0]) for d, _ in valid], cleans)
    res['tv_tuned'] = tv_tuned(train, valid)
    with contextlib.redirect_stdout(sys.stderr):   # progress bars: not in the JSON
        table = score_baselines([(d, c) for d, c in valid], [m for m in ('nlm', 'bm3d') if m in available_baselines('noise')])
    for row in table.to_dict('records'):
        res[row['name']] = dict(psnr=round(row['psnr'], 3), ssim=round(row['ssim'], 4))
    print(json.dumps(res), file=sys.stderr)
    start = time.time()
    cmd = [str(Path(sys.executable).parent/'gan-restore'), 'train', '--pairs', out/'train'/'noisy', out/'train'/'clean',
           '--out', out/'run', '--minutes', a.minutes, '--no-pretrained', *shlex.split(a.train_args)]
    r = subprocess.run(list(map(str, cmd)), capture_output=True, text=True)
    if r.returncode not in (0, 1): raise RuntimeError(r.stderr[-3000:])
    res['train_minutes'] = round((time.time() - start)/60, 1)
    res['train_log'] = [l for l in r.stdout.splitlines() if l.startswith(('Data:', 'Run folder', 'Generator:', 'Critic:', 'Stage', 'Resuming'))]
    res['train_warnings'] = [l for l in r.stderr.splitlines() if l.startswith('warning:')]
    res['run_results'] = json.loads((out/'run'/'results.json').read_text())
    restorer = Restorer.load(out/'run')
    res['best_model'] = restorer.path.name
    res['model'] = mean_scores([u8(restorer.restore_array(to_float(d)[0])) for d, _ in valid], cleans)
    res['model_minus_input_db'] = round(res['model']['psnr'] - res['input']['psnr'], 3)
    res['model_minus_tv_tuned_db'] = round(res['model']['psnr'] - res['tv_tuned']['psnr'], 3)
    if a.tta:   # the same model, each photo restored in 8 mirrored, flipped and transposed views, averaged
        ens = Restorer.load(out/'run', tta=8)
        res['model_tta8'] = mean_scores([u8(ens.restore_array(to_float(d)[0])) for d, _ in valid], cleans)
        res['model_tta8_minus_tv_tuned_db'] = round(res['model_tta8']['psnr'] - res['tv_tuned']['psnr'], 3)
    print(json.dumps(res, indent=1))
