"""Does an exponential moving average (EMA) of the generator's weights restore better than the weights themselves after a short timed stage?

One generator stage (`train_generator`, `gan-restore train`'s defaults: 64-px crops in batches of 8, flat-then-cosine
schedule, best-PSNR checkpoint) trains for --minutes on --train while EMAs of its weights are kept after every step,
one per --decays (the batch-norm statistics are the live model's: `FreezeBN` fixes them for the annealing). Then the
held-out photos of --valid, degraded once with seed 0 as `quality_per_minute.py` does, are restored at full size with
the stage's best weights (`raw`) and with each average (`ema_DECAY`), and scored; `*_valid` are the stage's own
validation scores. The same trajectory for all, so the comparison is paired. Prints JSON.

Usage: python benchmarks/weight_average.py --train DIR --valid DIR [--minutes 13.5] [--decays 0.98 0.99 0.995] [--out DIR]
(13.5 minutes is the generator's share of a 15-minute `gan-restore train`; the urban50 split is in quality_per_minute.py.)
"""
import argparse, importlib.util, json, sys, tempfile, time, warnings
from pathlib import Path

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--train', required=True); p.add_argument('--valid', required=True)
    p.add_argument('--minutes', type=float, default=13.5); p.add_argument('--spec', default='gaussian:25')
    p.add_argument('--decays', type=float, nargs='+', default=[0.98, 0.99, 0.995])
    p.add_argument('--out', type=Path)
    a = p.parse_args()
    warnings.filterwarnings('ignore')
    json_out, sys.stdout = sys.stdout, sys.stderr   # progress bars: not in the JSON
    import torch
    from fastai.callback.core import Callback
    from gan_restore.cli import degrade_folder, EPOCH_CROPS
    from gan_restore.data import paired_dls, clean_pairs, pairs_from_folders, crop_defaults, valid_size_for
    from gan_restore.generator import generator_learner, train_generator, valid_scores
    from gan_restore.gan import export_generator
    spec = importlib.util.spec_from_file_location('qpm', Path(__file__).parent/'quality_per_minute.py')
    qpm = importlib.util.module_from_spec(spec); spec.loader.exec_module(qpm)

    class EMA(Callback):
        "An EMA of the model's parameters per decay, updated after every training step."
        order = 100
        def before_fit(self):
            self.params = list(self.learn.model.parameters())
            self.ema = {d: [q.detach().clone() for q in self.params] for d in a.decays}
            self.seconds = 0.
        def after_batch(self):
            if not self.training: return
            t = time.time()
            with torch.no_grad():
                for d, e in self.ema.items(): torch._foreach_lerp_(e, [q.detach() for q in self.params], 1 - d)
            self.seconds += time.time() - t

    out = a.out or Path(tempfile.mkdtemp()); out.mkdir(parents=True, exist_ok=True)
    degrade_folder(a.valid, out/'valid', a.spec, seed=0)
    pairs = [(q.degraded, q.clean) for q in pairs_from_folders(out/'valid'/'degraded', out/'valid'/'clean')]
    size, bs = crop_defaults()
    dls = paired_dls(clean_pairs(a.train), spec=a.spec, size=size, bs=bs, valid_size=valid_size_for(size), epoch_steps=EPOCH_CROPS//bs)
    learn = generator_learner(dls, arch='resnet34', pretrained=False, residual=True, path=out)
    learn.model_dir = (out/'gen').absolute()
    ema = EMA(); learn.add_cb(ema)
    train_generator(learn, minutes=a.minutes, out=out/'gen', recalibrate=False)   # leaves the best-PSNR weights in the learner
    learn.remove_cb(ema)
    res = dict(train=a.train, valid=a.valid, spec=a.spec, minutes=a.minutes, steps=learn.steps, ema_seconds=round(ema.seconds, 1),
               machine=dict(threads=torch.get_num_threads(), speed=getattr(learn, 'speed', None), torch=torch.__version__))
    res['raw_valid'] = valid_scores(learn)
    export_generator(learn, out/'raw.safetensors'); res['raw'] = qpm.score_model(out/'raw.safetensors', pairs)
    for d, e in ema.ema.items():
        with torch.no_grad():
            for q, v in zip(ema.params, e): q.copy_(v)
        res[f'ema_{d}_valid'] = valid_scores(learn)
        export_generator(learn, out/f'ema_{d}.safetensors'); res[f'ema_{d}'] = qpm.score_model(out/f'ema_{d}.safetensors', pairs)
    print(json.dumps(res, indent=1), file=json_out)
