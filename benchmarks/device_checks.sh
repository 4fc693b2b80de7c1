#!/usr/bin/env bash
# The CUDA checks, run once on a lent GPU machine (the `device` tool) from the repository root; results land in $OUT.
# The machine has torch but not fastai: its wheels travel in .whl/ (see the developers' guide).
#   train_speed.py at its defaults, restore_speed.py for the fastai generator (trained 10 s) at 512 and 1024-px tiles,
#   then `gan-restore demo --minutes 2` end to end on CUDA (fp16), its results and log kept;
#   qpm: quality_per_minute.py at QPM_MINUTES (2) on urban50 (40 photos to train, every 5th of the 50 held out), the plain
#   loop beside `gan-restore train`'s defaults. The photos travel in .gpudata/urban50 (git-ignored, carried), with the
#   CPU run's classical rows in .gpudata/classical.json (BM3D takes minutes), which the benchmark reuses.
set -u
STEPS=${STEPS:-train restore demo}   # which checks to run
OUT=${OUT:-/tmp/device_out}; mkdir -p "$OUT"
if [[ ${INSTALL:-1} == 1 ]]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  # fastprogress imports fasthtml only for notebook output: an empty stand-in does for console runs
  mkdir -p /tmp/site/fasthtml && touch /tmp/site/fasthtml/__init__.py /tmp/site/fasthtml/common.py
fi
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
python3 -c "import torch, fastai, gan_restore; print('torch', torch.__version__, 'fastai', fastai.__version__, 'cuda', torch.cuda.is_available())" || exit 1
if [[ $STEPS == *qpm* ]]; then t=$SECONDS
  rm -rf /tmp/u50 /tmp/qpm && mkdir -p /tmp/u50/train /tmp/u50/valid /tmp/qpm && i=0
  for f in $(ls .gpudata/urban50/*.png | sort); do d=train; (( i % 5 == 0 )) && d=valid; ln -s "$PWD/$f" /tmp/u50/$d/; i=$((i+1)); done
  cp .gpudata/classical.json /tmp/qpm/ 2>/dev/null
  timeout ${QPM_TIMEOUT:-360} python3 benchmarks/quality_per_minute.py --train /tmp/u50/train --valid /tmp/u50/valid --minutes ${QPM_MINUTES:-2} \
    --only classical,plain,ours --out /tmp/qpm > "$OUT/qpm_cuda.json" 2> "$OUT/qpm.log"; echo "qpm rc=$? $((SECONDS-t)) s"
  cp /tmp/qpm/*min/ours/stages.json "$OUT/qpm_stages.json" 2>/dev/null; fi
if [[ $STEPS == *train* ]]; then t=$SECONDS
  timeout 90 python3 benchmarks/train_speed.py > "$OUT/train_speed_cuda.json" 2> "$OUT/train_speed.log"; echo "train_speed rc=$? $((SECONDS-t)) s"; fi
if [[ $STEPS == *restore* ]]; then t=$SECONDS
  timeout 150 python3 benchmarks/restore_speed.py --models fastai --tiles 512 1024 --train-seconds 10 > "$OUT/restore_speed_cuda.json" 2> "$OUT/restore_speed.log"; echo "restore_speed rc=$? $((SECONDS-t)) s"; fi
if [[ $STEPS == *demo* ]]; then t=$SECONDS
  timeout 170 python3 -c "import sys; from gan_restore.cli import main; sys.exit(main())" demo --out /tmp/demo --minutes 2 > "$OUT/demo.log" 2>&1; echo "demo rc=$? $((SECONDS-t)) s"
  cp /tmp/demo/results.json "$OUT/demo_results.json"; fi
grep -c "can only test a child" "$OUT"/*.log
for f in qpm_cuda.json demo.log restore_speed.log; do [[ -f $OUT/$f ]] && tail -c 2500 "$OUT/$f"; done; true
