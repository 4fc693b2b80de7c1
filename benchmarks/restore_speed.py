"""Speed and peak memory of restoring a 12-megapixel photo (4000x3000) with `Restorer`, printed as JSON.

Side by side, each configuration in a fresh process so that memory peaks do not mix (the two plain ones with glibc's
malloc as it comes, ours with the library's choice, `generator.keep_freed_memory`):
- `plain_forward`: the issue's yardstick, one plain fp32 forward of the exported model as trained (self-attention on,
  weight norm and batch norms as in training) on a 512x512 input, no tiling (a whole 12-megapixel photo does not fit
  the self-attention layer's memory), in megapixels per second;
- `cli`: `gan-restore restore` on the 12-megapixel photo saved as PNG, timed from the command's start to its end (Python
  start-up, model loading, reading and writing the file included), with its defaults, on the `.safetensors` file that
  training writes (what a run folder restores from);
- `plain`: what `Restorer` did before issue 8, the exported fastai generator (resnet34 U-Net, self-attention on) run
  as trained: fp32, weight normalisation and batch norms as in training, 512-px tiles;
- `ours`: `Restorer`'s defaults (`inference_model`: weight norm removed, batch norms folded; bf16 weights where the
  CPU has native bf16, fp16 on CUDA; channels-last; at least 8 pixels of overlap), at several tile sizes, each with the tiles
  that `tile_plan` cut (the size may move by a quarter to fit the photo) and the pixels computed per pixel of the photo;
- the same for the pix2pix U-Net (unet_256).
Also printed: the model's FLOPs per megapixel (torch's FlopCounterMode on one 512-px tile, a multiply-add counted as
2 FLOPs), so that the throughput can be read against the machine's peak, and the PSNR of the fast path against the
fp32 path on a noisy crop, both restored by a generator trained for `--train-seconds` (random weights say nothing
about rounding errors on real outputs).
Usage: python benchmarks/restore_speed.py [--tiles 256 320 512] [--models fastai pix2pix] [--size 4000 3000] [--train-seconds 60]
"""
import argparse, json, os, platform, resource, subprocess, sys, tempfile, time
from pathlib import Path

PLAIN = dict(precision='fp32', channels_last=False, fuse=False, overlap=32)

def export(model, out, seconds=0.):
    "Export a resnet34 U-Net (fastai) or unet_256 (pix2pix) generator to `out`, trained for `seconds` (0: random weights)."
    from gan_restore.datasets import demo_images
    from gan_restore.data import clean_pairs, paired_dls
    from gan_restore.gan import export_generator
    from gan_restore.generator import generator_learner
    from gan_restore.training import TimeBudget
    from gan_restore.pix2pix import pix2pix_learner
    dls = paired_dls(clean_pairs(demo_images()), spec='gaussian:25', size=64, bs=8, valid_pct=0.2)
    if model == 'fastai': learn = generator_learner(dls, arch='resnet34', pretrained=False, residual=True, path=out.parent)
    else: learn = pix2pix_learner(dls, path=out.parent)
    if seconds:
        with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(10_000, 1e-3, cbs=TimeBudget(seconds/60))
    export_generator(learn, out, pkl=True)   # the .pkl too: the plain forward runs the model as trained

def speed(fn, tile, w, h, cfg):
    "Restore a w x h photo with the model in `fn`; seconds, megapixels per second and peak memory."
    from PIL import Image
    from gan_restore.datasets import demo_images
    from gan_restore.inference import Restorer, tile_plan
    img = Image.open(demo_images()[0]).convert('RGB').resize((w, h))
    r = Restorer.load(fn, tile=tile, bs=1, **(cfg or {}))
    r.restore(img.crop((0, 0, tile, tile)))   # warm-up: oneDNN picks its kernels on the first call
    start = time.time(); out = r.restore(img); took = time.time() - start
    assert out.size == img.size
    (th, rows), (tw, cols) = [tile_plan(n, r.tile, r.overlap, r.mult) for n in (h, w)]
    pad = lambda t: -(-t//r.mult)*r.mult
    return dict(restorer=repr(r), tiles=f'{len(rows)}x{len(cols)} of {th}x{tw} px',
                computed_per_photo_pixel=round(len(rows)*len(cols)*pad(th)*pad(tw)/(w*h), 3),
                seconds=round(took, 1), megapixels_per_s=round(w*h/1e6/took, 3),
                peak_memory_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024))

def _photo(w, h, fn):
    from PIL import Image
    from gan_restore.datasets import demo_images
    Image.open(demo_images()[0]).convert('RGB').resize((w, h)).save(fn)
    return fn

def plain_forward(fn, size=512, n=2):
    "One fp32 forward of the exported model as trained on a `size`x`size` input: seconds (best of `n`) and megapixels per second."
    import torch
    from gan_restore.inference import load_export
    model = load_export(fn, cpu=not torch.cuda.is_available()).model.eval()
    dev = next(model.parameters()).device
    x = torch.rand(1, 3, size, size, device=dev)
    times = []
    with torch.inference_mode():
        model(x)   # warm-up
        for _ in range(n):
            start = time.time(); model(x); times.append(time.time() - start)
    took = min(times)
    return dict(input=f'{size}x{size}', seconds=round(took, 2), megapixels_per_s=round(size*size/1e6/took, 3),
                peak_memory_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024))

def cli(fn, w, h):
    "`gan-restore restore` on a w x h PNG, wall time of the whole command."
    tmp = Path(tempfile.mkdtemp())
    photo = _photo(w, h, tmp/'photo.png')
    start = time.time()
    model = Path(fn).with_suffix('.safetensors')   # as training writes it
    r = subprocess.run([sys.executable, '-m', 'gan_restore.cli', 'restore', str(photo), '--model', str(model), '--out', str(tmp/'out')],
                       capture_output=True, text=True)
    took = time.time() - start
    if r.returncode: return dict(error=r.stderr[-800:])
    assert (tmp/'out'/'photo.png').exists()
    return dict(command='gan-restore restore photo.png --model MODEL --out OUT', log=r.stdout.strip().splitlines()[:2],
                seconds=round(took, 1), megapixels_per_s=round(w*h/1e6/took, 3),
                peak_memory_mb=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024))

def flops_per_mp(fn, tile=512):
    import torch
    from torch.utils.flop_counter import FlopCounterMode
    from gan_restore.inference import Restorer
    r = Restorer.load(fn, **{k: v for k, v in PLAIN.items() if k != 'overlap'})
    with FlopCounterMode(display=False) as fc, torch.inference_mode(): r.model(torch.zeros(1, 3, tile, tile, device=r.device))
    return round(fc.get_total_flops()/(tile*tile/1e6)/1e9)

def fast_vs_fp32(fn, size=768):
    "PSNR (dB) against the clean photo of the fast and the fp32 restores of a noisy crop."
    import numpy as np, torch
    from PIL import Image
    from gan_restore.datasets import demo_images
    from gan_restore.inference import Restorer, to_float
    from gan_restore.metrics import psnr
    clean, _ = to_float(Image.open(demo_images()[-1]).convert('RGB').resize((size, size)))
    noisy = np.clip(clean + np.random.default_rng(0).normal(0, 25/255, clean.shape).astype(np.float32), 0, 1)
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a)).permute(2, 0, 1)[None]
    res = {'input': float(psnr(t(noisy), t(clean), data_range=1.))}
    for name, cfg in (('fp32', PLAIN), ('fast', {})):
        r = Restorer.load(fn, **{'tile': 320, 'overlap': 16, **cfg})
        res[name] = float(psnr(t(r.restore_array(noisy)), t(clean), data_range=1.))
    return {k: round(v, 3) for k, v in res.items()} | dict(fast_minus_fp32=round(res['fast'] - res['fp32'], 4))

def run(*args, plain=False):
    "One job in a fresh process; a plain one with glibc's malloc as it comes (ours: `generator.keep_freed_memory`)."
    env = {**os.environ, **({'GAN_RESTORE_MALLOC': 'default'} if plain else {})}
    r = subprocess.run([sys.executable, __file__, *map(str, args)], capture_output=True, text=True, env=env)
    if r.returncode: return dict(error=r.stderr[-800:])
    return json.loads(r.stdout.strip().splitlines()[-1])

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--tiles', type=int, nargs='+', default=[256, 320, 512])
    p.add_argument('--models', nargs='+', default=['fastai', 'pix2pix'])
    p.add_argument('--size', type=int, nargs=2, default=[4000, 3000])
    p.add_argument('--train-seconds', type=float, default=60)
    p.add_argument('--job', nargs='+', help=argparse.SUPPRESS)
    a = p.parse_args()
    import warnings; warnings.filterwarnings('ignore')
    if a.job:
        kind, fn, *rest = a.job
        if kind == 'speed': res = speed(fn, int(rest[0]), *a.size, PLAIN if rest[1] == 'plain' else {})
        elif kind == 'flops': res = flops_per_mp(fn)
        elif kind == 'plain_forward': res = plain_forward(fn)
        elif kind == 'cli': res = cli(fn, *a.size)
        elif kind == 'psnr': res = fast_vs_fp32(fn)
        else: export(rest[0], Path(fn), float(rest[1])); res = 'ok'
        print(json.dumps(res)); sys.exit()
    import torch
    from gan_restore.generator import fast_settings
    tmp = Path(tempfile.mkdtemp())
    out = dict(machine=dict(cpu=platform.machine(), threads=torch.get_num_threads(), device='cuda' if torch.cuda.is_available() else 'cpu',
                            fast_settings=fast_settings(), torch=torch.__version__),
               image=dict(width=a.size[0], height=a.size[1]), tiles_per_batch=1, models={})
    for model in a.models:
        fn = tmp/f'{model}.pkl'
        run('--job', 'export', fn, model, a.train_seconds)
        res = dict(gflops_per_megapixel=run('--job', 'flops', fn), psnr_on_noisy_768px=run('--job', 'psnr', fn),
                   plain_forward=run('--job', 'plain_forward', fn, plain=True),
                   plain=run('--job', 'speed', fn, 512, 'plain', '--size', *a.size, plain=True))
        for tile in a.tiles: res[f'ours_tile{tile}'] = run('--job', 'speed', fn, tile, 'ours', '--size', *a.size)
        best = max((k for k in res if k.startswith('ours')), key=lambda k: res[k].get('megapixels_per_s', 0))
        res['speedup_best_vs_plain'] = round(res[best]['megapixels_per_s']/res['plain']['megapixels_per_s'], 2) if 'megapixels_per_s' in res['plain'] else None
        if model == 'fastai':   # the product's command, start-up included, against the plain forward
            res['cli'] = run('--job', 'cli', fn, '--size', *a.size)
            if 'megapixels_per_s' in res['cli'] and 'megapixels_per_s' in res['plain_forward']:
                res['speedup_cli_vs_plain_forward'] = round(res['cli']['megapixels_per_s']/res['plain_forward']['megapixels_per_s'], 2)
        out['models'][model] = res
        print(json.dumps({model: res}), file=sys.stderr)
    print(json.dumps(out, indent=1))
