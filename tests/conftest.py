import os, shutil, subprocess, sys, time
from pathlib import Path
import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata

def run_cli(*args, check=None, env=None, cwd=None):
    "Run the installed `gan-restore` command (with extra environment variables `env`, in `cwd`); return the CompletedProcess."
    exe = os.path.abspath(shutil.which('gan-restore') or Path(sys.executable).parent/'gan-restore')
    res = subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})}, cwd=cwd)
    if check is not None: assert res.returncode == check, f"exit {res.returncode}\nstdout:\n{res.stdout}\nstderr:\n{res.stderr}"
    return res

def wait_for_checkpoint(p:subprocess.Popen, stage:Path, epochs:int=2, timeout:float=600):
    "Wait until the training started as `p` has checkpointed `epochs` epochs of `stage` (its history and last.pth); fail if it ended first."
    deadline = time.time() + timeout
    while time.time() < deadline and p.poll() is None:
        log = stage/'history.csv'
        if log.exists() and len(log.read_text().splitlines()) > epochs and (stage/'last.pth').exists(): break
        time.sleep(0.5)
    assert p.poll() is None, 'the run ended before it could be killed'

@pytest.fixture
def photos(tmp_path):
    "A folder of small real photos: RGB, grayscale, RGBA and a 16-bit grayscale PNG."
    d = tmp_path/'photos'; d.mkdir()
    for n in ['astronaut', 'coffee', 'chelsea']: Image.fromarray(getattr(skdata, n)()[:96, :128]).save(d/f'{n}.png')
    Image.fromarray(skdata.camera()[:96, :128]).save(d/'camera.png')
    Image.fromarray(skdata.rocket()[:96, :128]).convert('RGBA').save(d/'rocket.png')
    Image.fromarray(skdata.moon()[:96, :128].astype(np.uint16)*257).save(d/'moon16.png')
    return d
