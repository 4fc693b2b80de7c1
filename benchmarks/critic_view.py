"""Does the critic separate generated from clean crops within the time `train` gives it? Pixels against the high-pass view,
or (`--compare attention`) fastai's self-attention layer against none.

Loads a trained run's generator (`RUN/export/generator.safetensors`, or the `.pkl` of older runs), saves its outputs on
fresh training crops beside the clean crops as stage 2 does (`save_generated`, 512 of each by default), then trains
fastai's `gan_critic` on them for --seconds, for each seed: once on the crops' pixels (fastai's critic) and once on their
`HighPass` view (ours); or, with `--compare attention`, both on the high-pass view, with and without the self-attention
layer. Prints JSON: held-out accuracy after each epoch and the best, and the steps taken, per setting and seed. With
--eval-clean, each critic's best weights are also scored on --eval-crops generated and as many clean crops of those
photos (photos neither network trained on), a steadier figure than the few dozen crops held out of the training folder.
Usage: python benchmarks/critic_view.py --run RUN --clean DIR [--spec gaussian:25] [--seconds 60] [--seeds 0 1]
                                        [--compare view|attention] [--eval-clean DIR] [--eval-crops 2048] [--size PX]
e.g. a run of `gan-restore train --clean ../shared/data/urban50 --no-pretrained --stages gen --minutes 4`.
"""
import argparse, contextlib, json, sys, tempfile, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore', category=FutureWarning)
from fastai.torch_core import set_seed
from gan_restore.data import clean_pairs, paired_dls
from gan_restore.generator import generator_learner
from gan_restore.gan import load_export_weights, crop_size
from gan_restore.critic import save_generated, critic_dls, critic_learner, train_critic
from gan_restore.training import read_json

p = argparse.ArgumentParser()
p.add_argument('--run', required=True, type=Path); p.add_argument('--clean', required=True)
p.add_argument('--spec', default='gaussian:25'); p.add_argument('--seconds', type=float, default=60)
p.add_argument('--crops', type=int, default=512); p.add_argument('--seeds', type=int, nargs='+', default=[0, 1])
p.add_argument('--compare', choices=('view', 'attention'), default='view')
p.add_argument('--eval-clean', default=None); p.add_argument('--eval-crops', type=int, default=2048)
p.add_argument('--size', type=int, default=None, help="crop size (default: the run's); the generator is convolutional")
a = p.parse_args()

def main()->dict:
    cfg = read_json(a.run/'config.json')
    size = a.size or cfg['size']
    dls = paired_dls(clean_pairs(a.clean), spec=a.spec, size=size, bs=cfg['bs'], repeat=8, valid_pct=0.1)
    gen = generator_learner(dls, arch=cfg['arch'], residual=cfg['residual'], pretrained=False, self_attention=cfg['self_attention'])
    load_export_weights(gen.model, a.run/'export'/'generator.pkl')
    tmp = Path(tempfile.mkdtemp())
    folder = save_generated(gen, tmp/'image_gen', max_items=a.crops)
    if a.eval_clean:   # the same generator on crops of other photos: its learner given their loaders
        gen.dls = paired_dls(clean_pairs(a.eval_clean), spec=a.spec, size=size, bs=cfg['bs'], valid_pct=0.1,
                             epoch_steps=a.eval_crops//cfg['bs'] + 1, seed=7)
        # scored on half of them (all in validation would leave `critic_dls` no training split)
        eval_dl = critic_dls(save_generated(gen, tmp/'eval', max_items=a.eval_crops), bs=64, valid_every=2).valid
    SETTINGS = {'view': {'pixels': dict(high_pass=False), 'high_pass': dict(high_pass=True)},
                'attention': {'attention': dict(self_attention=True), 'none': dict(self_attention=False)}}[a.compare]
    res = dict(run=str(a.run), crops=a.crops, seconds=a.seconds, nf=cfg.get('critic_nf', 32), size=crop_size(dls), compare=a.compare,
               eval_crops=len(eval_dl.dataset) if a.eval_clean else None, views={})
    for seed in a.seeds:
        for name, kw in SETTINGS.items():
            set_seed(seed, reproducible=True)
            crit = critic_learner(critic_dls(folder, bs=cfg['bs']), size=crop_size(dls), nf=res['nf'], path=tmp/f'{name}{seed}', **kw)
            start = time.time()
            with crit.no_bar(), crit.no_logging(): h = train_critic(crit, epochs=100, minutes=a.seconds/60)
            acc = [round(float(v), 3) for v in h['accuracy_thresh_expand']]
            row = dict(seed=seed, best=max(acc), by_epoch=acc, steps=crit.steps, seconds=round(time.time() - start, 1),
                       params=sum(q.numel() for q in crit.model.parameters()))
            if a.eval_clean:
                with crit.no_bar(), crit.no_logging(): row['eval_accuracy'] = round(float(crit.validate(dl=eval_dl)[1]), 4)
            res['views'].setdefault(name, []).append(row)
    for name, rows in res['views'].items():
        res.setdefault('mean', {})[name] = {k: round(sum(r[k] for r in rows)/len(rows), 4) for k in ('best', 'steps', 'eval_accuracy') if k in rows[0]}
    return res

with contextlib.redirect_stdout(sys.stderr): res = main()   # progress bars and prints out of the JSON
print(json.dumps(res, indent=1))
