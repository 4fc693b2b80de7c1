"""Does the critic separate generated from clean crops within the time `train` gives it? Pixels against the high-pass view.

Loads a trained run's generator (`RUN/export/generator.pkl`), saves its outputs on fresh training crops beside the
clean crops as stage 2 does (`save_generated`, 512 of each by default), then trains fastai's `gan_critic` on them for
--seconds, once on the crops' pixels (fastai's critic) and once on their `HighPass` view (ours), for each seed. Prints
JSON: held-out accuracy after each epoch and the best, per view and seed.
Usage: python benchmarks/critic_view.py --run RUN --clean DIR [--spec gaussian:25] [--seconds 60] [--seeds 0 1]
e.g. a run of `gan-restore train --clean ../shared/data/urban50 --no-pretrained --stages gen --minutes 4`.
"""
import argparse, json, tempfile, time, warnings
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
a = p.parse_args()

cfg = read_json(a.run/'config.json')
dls = paired_dls(clean_pairs(a.clean), spec=a.spec, size=cfg['size'], bs=cfg['bs'], repeat=8, valid_pct=0.1)
gen = generator_learner(dls, arch=cfg['arch'], residual=cfg['residual'], pretrained=False, self_attention=cfg['self_attention'])
load_export_weights(gen.model, a.run/'export'/'generator.pkl')
tmp = Path(tempfile.mkdtemp())
folder = save_generated(gen, tmp/'image_gen', max_items=a.crops)
res = dict(run=str(a.run), crops=a.crops, seconds=a.seconds, nf=cfg.get('critic_nf', 32), views={})
for view in ('pixels', 'high_pass'):
    for seed in a.seeds:
        set_seed(seed, reproducible=True)
        crit = critic_learner(critic_dls(folder, bs=cfg['bs']), size=crop_size(dls), nf=res['nf'], high_pass=view == 'high_pass',
                              path=tmp/f'{view}{seed}')
        start = time.time()
        with crit.no_bar(), crit.no_logging(): h = train_critic(crit, epochs=100, minutes=a.seconds/60)
        acc = [round(float(v), 3) for v in h['accuracy_thresh_expand']]
        res['views'].setdefault(view, []).append(dict(seed=seed, best=max(acc), by_epoch=acc, steps=crit.steps,
                                                      seconds=round(time.time() - start, 1)))
print(json.dumps(res, indent=1))
