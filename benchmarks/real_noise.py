"""Real camera noise: does `gan-restore train --pairs`, with its defaults, raise the PSNR of photos that start high
(about 36 dB on PolyU), and beat total variation tuned on the same training pairs?

The seeds' "FastAI GAN on SIDD" lowered PSNR from 38.66 to 37.21 dB. This splits the pairs once (a fixed seed), trains
`gan-restore train --pairs` on the training part for --minutes with the defaults (it holds out 20% of them for its own
validation), restores the held-out pairs at full size with the run's `best` model and scores them (scikit-image, as
papers do) beside the noisy input, non-local means and BM3D (if installed) with the noise level each estimates per
photo, as `gan-restore evaluate --baselines` runs them, and total variation, non-local means and BM3D each with its
strength chosen on the training pairs (`tv_tuned`, `nlm_tuned`, `bm3d_tuned`: what a user who tunes a classical
filter on the same pairs gets; BM3D, the slowest, is tuned on 256-px centre crops of 8 of them). The classical rows
are kept in --out (`classical_N.json`, N the --n-valid) and reused by a later run with the same --out. Prints JSON.
Usage: python benchmarks/real_noise.py --noisy DIR --clean DIR [--n-valid 10] [--minutes 10] [--out DIR] [--train-args '...'] [--tta]
(--minutes 0: the classical rows only)
With --tta, the run's model is also scored through the 8-view self-ensemble (`Restorer(tta=8)`) as `model_tta8`.
e.g. with ../shared/data/polyu_dev/noisy and ../shared/data/polyu_dev/clean (PolyU real-world noisy images).
"""
import argparse, contextlib, json, os, shlex, subprocess, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np
warnings.filterwarnings('ignore')
from gan_restore.data import pairs_from_folders
from gan_restore.inference import Restorer, to_float, float_to_uint8 as u8
from gan_restore.metrics import score
from gan_restore.baselines import score_baselines, available_baselines, tune_sigma, tv

TV_WEIGHTS = (0.005, 0.01, 0.02, 0.04, 0.08, 0.16)
SIGMAS = (2, 3, 4, 6, 9, 13, 18, 25)   # noise levels on the 0-255 scale tried for NLM and BM3D (PolyU's estimated level is about 4; its correlated camera noise wants more)

def mean_scores(outs, cleans):
    s = [score(o, c) for o, c in zip(outs, cleans)]
    return dict(psnr=round(float(np.mean([a for a, _ in s])), 3), ssim=round(float(np.mean([b for _, b in s])), 4))

def tv_tuned(train, valid):
    "Total variation with the weight that scores best on the training pairs (all of each), applied to the held-out ones."
    w, by = tune_sigma(train, 'tv', [w*255 for w in TV_WEIGHTS], crop=None, n=None)   # the library's tv: weight = sigma/255
    outs = [u8(tv(to_float(d)[0], w)) for d, _ in valid]
    return mean_scores(outs, [u8(to_float(c)[0]) for _, c in valid]) | dict(weight=round(w/255, 4), train_psnr_by_weight={round(k/255, 4): round(v, 3) for k, v in by.items()})

def sigma_tuned(method, train, valid, **kw):
    "`method` at the noise level `tune_sigma` picks on the training pairs, scored on the held-out ones."
    s, by = tune_sigma(train, method, SIGMAS, **kw)
    row = score_baselines(valid, [method], sigma=s).iloc[0]
    return dict(psnr=round(float(row['psnr']), 3), ssim=round(float(row['ssim']), 4), param=s, train_psnr_by_param={k: round(v, 3) for k, v in by.items()})

def classical(train, valid):
    "The input, the classical denoisers as `evaluate --baselines` runs them, and TV, NLM and BM3D tuned on `train`."
    res = dict(input=mean_scores([u8(to_float(d)[0]) for d, _ in valid], [u8(to_float(c)[0]) for _, c in valid]))
    res['tv_tuned'] = tv_tuned(train, valid)
    methods = [m for m in ('nlm', 'bm3d') if m in available_baselines('noise')]
    table = score_baselines([(d, c) for d, c in valid], methods)
    for row in table.to_dict('records'):
        res[row['name']] = dict(psnr=round(row['psnr'], 3), ssim=round(row['ssim'], 4))
    res['nlm_tuned'] = sigma_tuned('nlm', train, valid, crop=None, n=None) | dict(param_is='sigma (0-255)')
    if 'bm3d' in methods: res['bm3d_tuned'] = sigma_tuned('bm3d', train, valid) | dict(param_is='sigma (0-255)', tuned_on='256-px centre crops of 8 training pairs')
    return res

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
    cache = out/f'classical_{a.n_valid}.json'   # the slowest part (BM3D, tuned and not): kept in --out, and reused
    if not cache.exists():
        with contextlib.redirect_stdout(sys.stderr): cache.write_text(json.dumps(classical(train, valid)))   # progress bars: not in the JSON
    res |= json.loads(cache.read_text())
    print(json.dumps(res), file=sys.stderr)
    if a.minutes <= 0: print(json.dumps(res, indent=1)); sys.exit()   # the classical rows only
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
    for k in ('tv_tuned', 'nlm_tuned', 'bm3d_tuned'):
        if k in res: res[f'model_minus_{k}_db'] = round(res['model']['psnr'] - res[k]['psnr'], 3)
    if a.tta:   # the same model, each photo restored in 8 mirrored, flipped and transposed views, averaged
        ens = Restorer.load(out/'run', tta=8)
        res['model_tta8'] = mean_scores([u8(ens.restore_array(to_float(d)[0])) for d, _ in valid], cleans)
        res['model_tta8_minus_tv_tuned_db'] = round(res['model_tta8']['psnr'] - res['tv_tuned']['psnr'], 3)
    print(json.dumps(res, indent=1))
