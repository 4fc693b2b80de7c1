"""How much tiles' overlap costs at the seams: PSNR of a trained model's restores at several tile sizes and overlaps, and
how far each restore lies from the one with the widest overlap, printed as JSON.

For each tile size and overlap, every (degraded, clean) pair is restored with `Restorer` (its defaults otherwise) and
scored with `gan_restore.metrics.score` (uint8, as papers compute PSNR); `max_levels`/`mean_levels` are the largest and
mean absolute difference, in 0-255 levels over all pixels and photos, from the restore with the widest overlap asked.
A photo that fits in one tile has no seam: use tiles smaller than the photos.
Usage: python benchmarks/tile_overlap.py --model MODEL --degraded DIR --clean DIR [--tiles 256] [--overlaps 4 8 16 32]
"""
import argparse, json, sys, warnings
import numpy as np

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--model', required=True, help='an exported generator (.safetensors or .pkl) or a run folder')
    p.add_argument('--degraded', required=True); p.add_argument('--clean', required=True)
    p.add_argument('--tiles', type=int, nargs='+', default=[256])
    p.add_argument('--overlaps', type=int, nargs='+', default=[4, 8, 16, 32])
    a = p.parse_args()
    warnings.filterwarnings('ignore')
    json_out, sys.stdout = sys.stdout, sys.stderr   # progress bars on stderr: only the JSON on stdout
    from fastprogress.fastprogress import progress_bar
    from gan_restore.data import pairs_from_folders
    from gan_restore.inference import Restorer, to_float, float_to_uint8 as u8
    from gan_restore.metrics import score
    pairs = [(u8(to_float(q.degraded)[0]), u8(to_float(q.clean)[0])) for q in pairs_from_folders(a.degraded, a.clean)]
    widest, res = max(a.overlaps), dict(model=str(a.model), photos=len(pairs), results=[])
    for tile in a.tiles:
        outs = {}
        for ov in sorted(a.overlaps, reverse=True):
            r = Restorer.load(a.model, tile=tile, overlap=ov)
            outs[ov] = [np.asarray(r.restore(d)) for d, _ in progress_bar(pairs, leave=False)]
            psnr = np.mean([score(y, c)[0] for y, (_, c) in zip(outs[ov], pairs)])
            diff = [np.abs(y.astype(np.int16) - w.astype(np.int16)) for y, w in zip(outs[ov], outs[widest])]
            res['results'].append(dict(tile=tile, overlap=ov, psnr=round(float(psnr), 4), max_levels=int(max(d.max() for d in diff)),
                                       mean_levels=round(float(np.mean([d.mean() for d in diff])), 4)))
    print(json.dumps(res, indent=1), file=json_out)
