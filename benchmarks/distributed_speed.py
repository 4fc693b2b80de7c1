"""Multi-process training against one process, side by side in one run, at the same total batch; JSON on stdout.

Stage 1 (the generator) of `gan-restore train` on scikit-image's photos, for a fixed number of epochs of fixed length:
once in one process with batches of `--bs`, once launched by `accelerate launch --multi_gpu --num_processes N` with
batches of `--bs`/N in each process, so that every optimiser step sees the same number of crops. Reported: training crops
per second over the stage (validation and checkpoints included, as a user sees it) and the speed-up.

On a CPU the processes share the same cores (each gets cores/N threads), so the speed-up measures what the gradient
exchange and the sharding cost rather than a gain; on N GPUs each process has its own chip.
Usage: python benchmarks/distributed_speed.py [--processes 2] [--bs 16] [--size 64] [--epochs 2] [--epoch-steps 15]
"""
import argparse, json, os, platform, subprocess, sys, tempfile
from pathlib import Path
import torch

p = argparse.ArgumentParser()
p.add_argument('--processes', type=int, default=2); p.add_argument('--bs', type=int, default=16)
p.add_argument('--size', type=int, default=64); p.add_argument('--epochs', type=int, default=2)
p.add_argument('--epoch-steps', type=int, default=15)
a = p.parse_args()
if a.bs % a.processes: raise SystemExit(f"--bs {a.bs} does not split into {a.processes} processes")

from gan_restore.datasets import demo_images
bin_ = Path(sys.executable).parent
cores = os.cpu_count() or 1
cuda = torch.cuda.is_available()

def run(n, out):
    "Train stage 1 in `n` processes; its (steps, seconds) from the run folder's stages.json."
    args = ['train', '--clean', str(photos), '--spec', 'gaussian:25', '--no-pretrained', '--stages', 'gen', '--size', str(a.size),
            '--bs', str(a.bs//n), '--gen-epochs', '0', str(a.epochs), '--epoch-steps', str(a.epoch_steps*n), '--out', str(out)]
    threads = str(max(cores//n, 1)) if not cuda else os.environ.get('OMP_NUM_THREADS', '1')
    env = {**os.environ, 'OMP_NUM_THREADS': threads}
    if n == 1: cmd = [str(bin_/'gan-restore'), *args]
    else: cmd = [str(bin_/'accelerate'), 'launch', '--multi_gpu', '--num_processes', str(n), '--num_machines', '1',
                 '--mixed_precision', 'no', '--dynamo_backend', 'no', '-m', 'gan_restore.cli', *args]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode: raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stderr[-3000:]}")
    g = json.loads((out/'stages.json').read_text())['gen']
    return g['steps'], g['seconds']

with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    photos = tmp/'photos'; demo_images(photos)
    res = {}
    for n in (1, a.processes):
        steps, secs = run(n, tmp/f'run{n}')
        res[n] = dict(processes=n, bs_per_process=a.bs//n, steps=steps, seconds=round(secs, 1), crops_per_s=round(steps*a.bs/secs, 2))
print(json.dumps(dict(machine=dict(cpu=platform.processor() or platform.machine(), cores=cores, cuda=cuda, torch=torch.__version__),
                      total_batch=a.bs, size=a.size, epochs=a.epochs, steps_per_epoch=a.epoch_steps,
                      one=res[1], several=res[a.processes], speed_up=round(res[a.processes]['crops_per_s']/res[1]['crops_per_s'], 2)), indent=1))
