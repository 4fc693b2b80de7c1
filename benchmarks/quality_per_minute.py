"""Restoration quality per CPU-minute: PSNR/SSIM on held-out photos after M minutes of training, side by side, as JSON.

Trains on one folder of clean photos degraded by --spec, scores another folder (degraded once, with a fixed seed,
restored at full size) and prints, from the same run:
- `input`, and the classical denoisers `nlm`, `tv` and `bm3d` (if installed);
- `plain`: the plain fp32 loop of issue 17: the resnet34 U-Net with residual output (zero-initialised head, no
  pretraining), L1 loss, PyTorch's AdamW at a constant 1e-3, batches of 16 random 64-px crops, no checkpoint selection,
  in its own process with glibc's malloc as it comes (`GAN_RESTORE_MALLOC=default`);
- `gan-restore train` (the fastai workflow, --ours-args added) given the same minutes: its best-PSNR generator
  (`generator`, what `gan-restore restore` uses by default when the generator wins) and the GAN (`gan`);
- `pix2pix`: `gan-restore train --model pix2pix` given the same minutes.
Every model is restored with `Restorer`'s defaults and scored with `gan_restore.metrics.score` (scikit-image).
With --tta, the plain loop's model and our best generator are also scored through the 8-view self-ensemble
(`Restorer(tta=8)`, `restore --tta 8`), as rows `plain_tta8` and `generator_tta8`: both sides get it, so the gap
between them stays a comparison of training recipes.
Each training runs in its own process, one after the other, so that they do not share the cores.

Usage: python benchmarks/quality_per_minute.py --train DIR --valid DIR [--minutes 3 15] [--spec gaussian:25]
       [--only plain,ours,pix2pix] [--out DIR] [--tta]
The split used in the notes (urban50: every 5th photo held out):
  python -c "import os,sys; from pathlib import Path; s=Path(sys.argv[1]); fs=sorted(s.glob('*.png'))
  [os.makedirs(d, exist_ok=True) for d in ('u50/train', 'u50/valid')]
  [os.symlink(f.absolute(), f'u50/{\"valid\" if i%5==0 else \"train\"}/{f.name}') for i, f in enumerate(fs)]" ../shared/data/urban50
"""
import argparse, json, os, shlex, subprocess, sys, tempfile, time
from pathlib import Path

OURS = ''   # `gan-restore train`'s defaults: what a user gets

def plain(train, valid, spec, minutes, out, size=64, bs=16, lr=1e-3):
    "Train the plain fp32 loop for `minutes`; export it to `out`."
    import torch, torch.nn.functional as F
    from gan_restore.data import clean_pairs, paired_dls
    from gan_restore.generator import generator_learner, generator_model
    from gan_restore.gan import export_generator
    dls = paired_dls(clean_pairs(train), spec=spec, size=size, bs=bs, valid=clean_pairs(valid), repeat=8)
    learn = generator_learner(dls, arch='resnet34', pretrained=False, residual=True, precision='fp32', channels_last=False, path=out.parent)
    # the same network and initial weights with PyTorch's and fastai's own layers, as a user's 40 lines build it (not `cpu_fast_layers`)
    plain_net = generator_model('resnet34', residual=True).to(dls.device)
    plain_net.load_state_dict(learn.model.state_dict())
    model = learn.model = plain_net.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    start, steps = time.time(), 0
    while time.time() - start < minutes*60:
        for x, y in dls.train:
            loss = F.l1_loss(model(x), y)
            opt.zero_grad(); loss.backward(); opt.step(); steps += 1
            if time.time() - start >= minutes*60: break
    export_generator(learn, out, pkl=True)   # scored through its .pkl, as before safetensors
    return dict(steps=steps, crops_per_s=round(steps*bs/(time.time() - start), 2))

def score_model(fn, pairs, tta=1):
    "Mean PSNR/SSIM of the model in `fn` on the (degraded, clean) `pairs`, restored at full size (from `tta` views: see `Restorer`)."
    import numpy as np
    from gan_restore.inference import Restorer, to_float, float_to_uint8 as u8
    from gan_restore.metrics import score
    r = Restorer.load(fn, tta=tta)
    s = [score(u8(r.restore_array(to_float(d)[0])), u8(to_float(c)[0])) for d, c in pairs]
    return dict(psnr=round(float(np.mean([a for a, _ in s])), 3), ssim=round(float(np.mean([b for _, b in s])), 4))

def classical(pairs):
    from gan_restore.baselines import score_baselines, available_baselines
    from gan_restore.metrics import score
    from gan_restore.inference import to_float, float_to_uint8 as u8
    import numpy as np
    s = [score(u8(to_float(d)[0]), u8(to_float(c)[0])) for d, c in pairs]
    res = {'input': dict(psnr=round(float(np.mean([a for a, _ in s])), 3), ssim=round(float(np.mean([b for _, b in s])), 4))}
    methods = [m for m in ('nlm', 'tv', 'bm3d') if m in available_baselines('noise')]
    for row in score_baselines(pairs, methods).to_dict('records'):
        res[row['name']] = dict(psnr=round(row['psnr'], 3), ssim=round(row['ssim'], 4), seconds=round(row['seconds'], 1))
    return res

def cli(*args):
    r = subprocess.run([sys.executable, '-m', 'gan_restore.cli', *map(str, args)], capture_output=True, text=True)   # `gan-restore`, wherever the package imports
    if r.returncode not in (0, 1): raise RuntimeError(f"gan-restore {' '.join(map(str, args))} failed:\n{r.stderr[-2000:]}")
    return r.stdout

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--train', required=True); p.add_argument('--valid', required=True)
    p.add_argument('--minutes', type=float, nargs='+', default=[3], help='training budgets to measure, each model, one after the other (default: 3)')
    p.add_argument('--spec', default='gaussian:25')
    p.add_argument('--only', default='classical,plain,ours,pix2pix')
    p.add_argument('--ours-args', default=OURS, help='extra arguments of `gan-restore train` (default: %(default)s)')
    p.add_argument('--out', type=Path, help='keep the runs here (default: a temporary folder)')
    p.add_argument('--tta', action='store_true', help='also score the plain loop and our generator with the 8-view self-ensemble')
    p.add_argument('--job', nargs='+', help=argparse.SUPPRESS)
    a = p.parse_args()
    import warnings; warnings.filterwarnings('ignore')
    if a.job:   # one training or scoring, in its own process
        print(json.dumps(plain(a.train, a.valid, a.spec, float(a.job[1]), Path(a.job[0]))))
        sys.exit()
    json_out, sys.stdout = sys.stdout, sys.stderr   # progress bars and messages of what runs here: not in the JSON
    from gan_restore.cli import degrade_folder
    from gan_restore.data import pairs_from_folders
    from gan_restore.generator import fast_settings
    import torch
    out = a.out or Path(tempfile.mkdtemp()); out.mkdir(parents=True, exist_ok=True)
    degrade_folder(a.valid, out/'valid', a.spec, seed=0)
    pairs = [(q.degraded, q.clean) for q in pairs_from_folders(out/'valid'/'degraded', out/'valid'/'clean')]
    only = a.only.split(',')
    res = dict(train=a.train, valid=a.valid, n_valid=len(pairs), spec=a.spec, ours_args=a.ours_args,
               machine=dict(threads=torch.get_num_threads(), fast_settings=fast_settings(training=True), torch=torch.__version__), minutes={})
    if 'classical' in only:   # the slowest part (BM3D): kept in --out, and reused
        if not (out/'classical.json').exists(): (out/'classical.json').write_text(json.dumps(classical(pairs)))
        res['classical'] = json.loads((out/'classical.json').read_text()); print(json.dumps(res['classical']), file=sys.stderr)
    # `train` holds out 20% of --train for its own validation and checkpoint choice: the scored photos stay unseen
    base = ['--clean', a.train, '--spec', a.spec, '--no-pretrained']
    for m in a.minutes:
        row, d = {}, out/f'{m:g}min'
        if 'plain' in only and (d/'plain'/'plain.json').exists(): row['plain'] = json.loads((d/'plain'/'plain.json').read_text())
        elif 'plain' in only:
            r = subprocess.run([sys.executable, __file__, '--train', a.train, '--valid', a.valid, '--spec', a.spec,
                                '--job', str(d/'plain'/'plain.pkl'), str(m)], capture_output=True, text=True,
                               env={**os.environ, 'GAN_RESTORE_MALLOC': 'default'})   # glibc's malloc as a user's own loop gets it
            if r.returncode: raise RuntimeError(r.stderr[-2000:])
            row['plain'] = score_model(d/'plain'/'plain.pkl', pairs) | json.loads(r.stdout.strip().splitlines()[-1])
            (d/'plain'/'plain.json').write_text(json.dumps(row['plain']))
        if 'ours' in only:
            log = cli('train', *base, '--minutes', m, '--out', d/'ours', *shlex.split(a.ours_args))
            st = json.loads((d/'ours'/'stages.json').read_text())
            row['generator'] = score_model(d/'ours'/'export'/'best.safetensors', pairs) | dict(steps=st['gen']['steps'], seconds=round(st['gen']['seconds']))
            if (d/'ours'/'export'/'gan.safetensors').exists():
                row['gan'] = score_model(d/'ours'/'export'/'gan.safetensors', pairs) | dict(
                    steps=sum(st[k]['steps'] for k in ('gen', 'critic', 'gan')), seconds=round(sum(st[k]['seconds'] for k in ('gen', 'critic', 'gan'))))
                row['critic_accuracy'] = round(st['critic']['accuracy'], 3)
            row['ours_log'] = [l for l in log.splitlines() if l.startswith(('Data:', 'Run folder', 'Generator:', 'Critic:', 'GAN:', 'Stage'))]
            files = {(f.stat().st_dev, f.stat().st_ino): f.stat().st_size for f in (d/'ours').rglob('*') if f.is_file()}   # hard links once, as du counts
            row['run_folder_mb'] = round(sum(files.values())/2**20, 1)
        if 'pix2pix' in only:
            cli('train', *base, '--model', 'pix2pix', '--minutes', m, '--out', d/'pix2pix', *shlex.split(a.ours_args.replace('--direct', '')))
            st = json.loads((d/'pix2pix'/'stages.json').read_text())['pix2pix']
            row['pix2pix'] = score_model(d/'pix2pix'/'export'/'pix2pix.safetensors', pairs) | dict(steps=st.get('steps'), seconds=round(st['seconds']))
        if a.tta and (d/'plain'/'plain.pkl').exists(): row['plain_tta8'] = score_model(d/'plain'/'plain.pkl', pairs, tta=8)
        if a.tta and 'generator' in row: row['generator_tta8'] = score_model(d/'ours'/'export'/'best.safetensors', pairs, tta=8)
        if 'plain' in row and 'generator' in row: row['generator_minus_plain_db'] = round(row['generator']['psnr'] - row['plain']['psnr'], 3)
        res['minutes'][f'{m:g}'] = row
        print(json.dumps({f'{m:g} min': row}), file=sys.stderr)
    print(json.dumps(res, indent=1), file=json_out)
