"""One trained generator, saved as the fastai pickle, as safetensors (fp32 and fp16) and as ONNX: file sizes, and the PSNR
of each restoring the same held-out photos (they should agree within 0.01 dB); JSON on stdout.

The safetensors and pickle files go through `Restorer` at its defaults (tiles, bf16 where the CPU has it) and in fp32 on
whole photos; the ONNX file through onnxruntime on whole photos, against the pickle in fp32 on whole photos.
Usage: python benchmarks/export_formats.py RUN [--which best] [--clean DIR] [--spec gaussian:25] [--n 10]
(RUN: a training run folder trained with `gan-restore train --pkl`, so that it holds the fastai pickle beside the
safetensors; `gan-restore export RUN --which W --onnx` and `--fp16` are run first if their files are missing)
"""
import argparse, json, subprocess, sys, time, warnings
from pathlib import Path
import numpy as np
warnings.filterwarnings('ignore')
from PIL import Image
from gan_restore.datasets import demo_images
from gan_restore.degrade import degrade
from gan_restore.inference import Restorer, find_export, to_float, float_to_uint8 as u8
from gan_restore.metrics import score

p = argparse.ArgumentParser()
p.add_argument('run', type=Path); p.add_argument('--which', default='best'); p.add_argument('--clean', type=Path)
p.add_argument('--spec', default='gaussian:25'); p.add_argument('--n', type=int, default=10)
a = p.parse_args()
pkl = find_export(a.run, a.which).with_suffix('.pkl')
if not pkl.exists(): sys.exit(f"{pkl}: no fastai export to compare with (runs write one with `gan-restore train --pkl`)")
st, st16, onx = pkl.with_suffix('.safetensors'), pkl.with_name(pkl.stem + '_fp16.safetensors'), pkl.with_suffix('.onnx')
exe = str(Path(sys.executable).parent/'gan-restore')
if not (st.exists() and onx.exists()): subprocess.run([exe, 'export', str(a.run), '--which', a.which, '--onnx'], check=True, capture_output=True)
if not st16.exists(): subprocess.run([exe, 'export', str(a.run), '--which', a.which, '--fp16'], check=True, capture_output=True)

files = sorted(a.clean.iterdir())[:a.n] if a.clean else list(demo_images())[:a.n]
cleans = [np.asarray(Image.open(f).convert('RGB')) for f in files]
noisy = [to_float(degrade(Image.fromarray(c), a.spec, seed=i))[0] for i, c in enumerate(cleans)]
def mean_psnr(outs): return round(float(np.mean([score(u8(o), c)[0] for o, c in zip(outs, cleans)])), 4)

res, t = {}, time.time()
for name, fn in (('pickle', pkl), ('safetensors', st), ('safetensors_fp16', st16)):
    res[name] = dict(mb=round(fn.stat().st_size/2**20, 1), psnr_default=mean_psnr([Restorer.load(fn).restore_array(x) for x in noisy]),
                     psnr_fp32_whole=mean_psnr([Restorer.load(fn, tile=4096, precision='fp32').restore_array(x) for x in noisy]))
import onnxruntime as ort
sess = ort.InferenceSession(str(onx), providers=['CPUExecutionProvider'])
res['onnx'] = dict(mb=round(onx.stat().st_size/2**20, 1),
                   psnr_fp32_whole=mean_psnr([sess.run(None, {'image': x.transpose(2, 0, 1)[None].astype(np.float32)})[0][0].transpose(1, 2, 0) for x in noisy]))
ref = res['pickle']
print(json.dumps(dict(run=str(a.run), model=pkl.name, photos=len(files), spec=a.spec, input_psnr=mean_psnr(noisy), formats=res,
                      max_difference_db=dict(default=round(max(abs(res[k]['psnr_default'] - ref['psnr_default']) for k in ('safetensors', 'safetensors_fp16')), 4),
                                             fp32_whole=round(max(abs(res[k]['psnr_fp32_whole'] - ref['psnr_fp32_whole']) for k in ('safetensors', 'safetensors_fp16', 'onnx')), 4)),
                      seconds=round(time.time() - t, 1)), indent=1))
