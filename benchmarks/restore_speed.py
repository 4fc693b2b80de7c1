"""Speed and peak memory of restoring a 12-megapixel photo (4000x3000) with `Restorer`, printed as JSON.

For the fastai generator (resnet34 U-Net) and the pix2pix U-Net (unet_256), at two tile sizes: megapixels per second
and the process's peak resident memory, each configuration in a fresh process so that peaks do not mix. The weights
are random (speed and memory do not depend on them); the photo is a bundled one resized to 4000x3000.
Usage: python benchmarks/restore_speed.py [--tiles 256 512] [--size 4000 3000]
"""
import argparse, json, platform, resource, subprocess, sys, time

def one(model, tile, w, h):
    import warnings; warnings.filterwarnings('ignore')
    import tempfile
    from pathlib import Path
    from PIL import Image
    import torch
    from gan_restore.datasets import demo_images
    from gan_restore.data import clean_pairs, paired_dls
    from gan_restore.gan import export_generator
    from gan_restore.inference import Restorer
    tmp = Path(tempfile.mkdtemp())
    dls = paired_dls(clean_pairs(demo_images()[:2]), spec='gaussian:25', size=256, bs=1, valid_pct=0.5)
    if model == 'fastai':
        from gan_restore.generator import generator_learner
        learn = generator_learner(dls, arch='resnet34', pretrained=False, path=tmp)
    else:
        from gan_restore.pix2pix import pix2pix_learner
        learn = pix2pix_learner(dls, path=tmp)
    export_generator(learn, tmp/'m.pkl')
    del learn, dls
    img = Image.open(demo_images()[0]).convert('RGB').resize((w, h))
    r = Restorer.load(tmp/'m.pkl', tile=tile, overlap=32, bs=1)
    start = time.time(); out = r.restore(img); took = time.time() - start
    assert out.size == img.size
    n = sum(p.numel() for p in r.model.parameters())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024
    print(json.dumps(dict(model=model, tile=tile, seconds=round(took, 1), megapixels_per_s=round(w*h/1e6/took, 3),
                          peak_memory_mb=round(peak_mb), params=n)))

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--tiles', type=int, nargs='+', default=[256, 512])
    p.add_argument('--size', type=int, nargs=2, default=[4000, 3000])
    p.add_argument('--one', nargs=2)
    a = p.parse_args()
    if a.one: one(a.one[0], int(a.one[1]), *a.size); sys.exit()
    import torch
    res = []
    for model in ('fastai', 'pix2pix'):
        for tile in a.tiles:
            r = subprocess.run([sys.executable, __file__, '--one', model, str(tile), '--size', *map(str, a.size)], capture_output=True, text=True)
            res.append(json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else dict(model=model, tile=tile, error=r.stderr[-500:]))
    print(json.dumps(dict(machine=dict(cpu=platform.machine(), threads=torch.get_num_threads(),
                                       device='cuda' if torch.cuda.is_available() else 'cpu', torch=torch.__version__),
                          image=dict(width=a.size[0], height=a.size[1]), overlap=32, tiles_per_batch=1, results=res), indent=1))
