import io, os, shutil, subprocess, sys, time, warnings
from contextlib import redirect_stdout, redirect_stderr
from unittest import mock
from pathlib import Path
import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata

def run_cli(*args, check=None, env=None, cwd=None, process=False):
    """Run `gan-restore ARGS` (with extra environment variables `env`, in `cwd`); return a CompletedProcess.
    By default in this process, through `gan_restore.cli.main`, the function the installed command calls: the same
    parsing, work, output and exit code, without importing torch and fastai again for every call (about 10 s each on
    the CI machine, the larger part of these tests' time). `process=True` runs the installed command itself, for what
    only a process of its own shows (its entry point, environment variables read when a library is imported)."""
    args = [str(a) for a in args]
    if process:
        exe = os.path.abspath(shutil.which('gan-restore') or Path(sys.executable).parent/'gan-restore')
        res = subprocess.run([exe, *args], capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})}, cwd=cwd)
    else:
        from gan_restore.cli import main
        out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
        with mock.patch.dict(os.environ, env or {}), warnings.catch_warnings(), redirect_stdout(out), redirect_stderr(err):
            warnings.resetwarnings()   # the filters a fresh process starts with (pytest's own are back after the call)
            for c in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning): warnings.simplefilter('ignore', c)
            try:
                os.chdir(cwd or here)
                try: rc = main(args)
                except SystemExit as e: rc = e.code if isinstance(e.code, int) else int(e.code is not None)   # argparse: --help, usage errors
            finally: os.chdir(here)
        res = subprocess.CompletedProcess(['gan-restore', *args], rc, out.getvalue(), err.getvalue())
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
