"Training on two processes (the gloo backend, on the CPU) as `accelerate launch --multi_gpu --num_processes 2` runs it on two GPUs."
import json, os, signal, subprocess, sys
from pathlib import Path
import pytest
from PIL import Image
from skimage import data as skdata
from conftest import run_cli, wait_for_checkpoint

TINY = ['--arch', 'resnet18', '--size', '32', '--bs', '4', '--repeat', '2', '--gen-epochs', '0', '1',
        '--critic-epochs', '1', '--gan-epochs', '1', '--critic-nf', '16', '--no-pretrained']
LAUNCH = ['--multi_gpu', '--num_processes', '2', '--num_machines', '1', '--mixed_precision', 'no', '--dynamo_backend', 'no']

def launch(*args, check=0):
    "`accelerate launch` on two processes, one thread each (two cores); the CompletedProcess."
    exe = Path(sys.executable).parent/'accelerate'
    res = subprocess.run([str(exe), 'launch', *LAUNCH, *map(str, args)], capture_output=True, text=True, timeout=600,
                         env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert res.returncode == check, f"exit {res.returncode}\nstdout:\n{res.stdout[-3000:]}\nstderr:\n{res.stderr[-5000:]}"
    return res

@pytest.fixture
def valid(tmp_path):
    "Three validation photos: an odd number, so that one process's share ends with padding that must not count."
    d = tmp_path/'valid'; d.mkdir()
    for n in ['astronaut', 'coffee', 'chelsea']: Image.fromarray(getattr(skdata, n)()[200:296, 200:328]).save(d/f'{n}.png')
    return d

def kill_all(marker:str):
    "SIGKILL every process whose command line holds `marker`: the launcher and its workers (each in its own session, Linux)."
    for d in Path('/proc').iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid(): continue
        try: cmd = (d/'cmdline').read_bytes().replace(b'\0', b' ').decode(errors='replace')
        except OSError: continue
        if marker in cmd:
            try: os.kill(int(d.name), signal.SIGKILL)
            except ProcessLookupError: pass

def files(run): return sorted(str(p.relative_to(run)) for p in run.rglob('*'))

def test_two_processes_train_every_stage_into_the_same_run_folder(photos, valid, tmp_path):
    one, two = tmp_path/'one', tmp_path/'two'
    args = ['train', '--clean', photos, '--valid-clean', valid, '--spec', 'gaussian:25', *TINY,
            '--model', 'both', '--pix2pix-epochs', '1', '1', '--ngf', '8']   # the three fastai stages, then pix2pix
    run_cli(*args, '--out', one, check=0)
    res = launch('-m', 'gan_restore.cli', *args, '--out', two)
    assert res.stdout.count('Stage 1/3') == 1 and res.stdout.count('pix2pix: U-Net') == 1   # process 0 talks; the other is quiet
    assert files(two) == files(one)
    rows = json.loads((two/'results.json').read_text())
    assert [r['name'] for r in rows] == [r['name'] for r in json.loads((one/'results.json').read_text())]
    assert [r['name'] for r in rows] == ['input', 'generator', 'gan_best', 'gan_final', 'pix2pix_best', 'pix2pix_final']
    # the stage-2 crops were shared out between the processes: numbered without a gap or a repeat
    for sub in ('generated', 'real'):
        names = sorted(p.name for p in (two/'image_gen'/sub).iterdir())
        assert names == [f'{i:06d}.png' for i in range(12)]   # 6 photos x 2 crops, as one process makes them
    # the PSNR reported by the two processes is that of the whole validation set, not of process 0's share
    from gan_restore.data import clean_pairs, paired_dls
    from gan_restore.generator import generator_learner
    from gan_restore.gan import load_export_weights
    dls = paired_dls(clean_pairs(photos), spec='gaussian:25', size=32, bs=4, repeat=2, valid=clean_pairs(valid), valid_size=128)
    learn = generator_learner(dls, arch='resnet18', pretrained=False)
    load_export_weights(learn.model, two/'export'/'generator.safetensors')
    with learn.no_bar(), learn.no_logging(): psnr = learn.validate()[1]
    assert abs(psnr - next(r['psnr'] for r in rows if r['name'] == 'generator')) < 1e-3
    # run again: every stage was done, nothing retrains
    stamp = (two/'export'/'generator.safetensors').stat().st_mtime_ns
    again = launch('-m', 'gan_restore.cli', *args, '--out', two)
    assert 'Stage 1/3' not in again.stdout and 'pix2pix: U-Net' not in again.stdout
    assert (two/'export'/'generator.safetensors').stat().st_mtime_ns == stamp

def test_the_gan_stage_keeps_both_networks_equal_in_every_process(photos, tmp_path):
    res = launch(Path(__file__).parent/'ddp_gan_check.py', photos, tmp_path/'run')
    out = json.loads(next(l for l in res.stdout.splitlines() if l.startswith('{')))
    assert out == dict(processes=2, same=True, generator_changed=True, critic_changed=True)

def test_two_processes_killed_mid_stage_resume_within_that_stage(photos, tmp_path):
    run = tmp_path/'run'
    args = ['-m', 'gan_restore.cli', 'train', '--clean', photos, '--out', run, '--no-pretrained', '--arch', 'resnet18', '--size', '32',
            '--bs', '2', '--repeat', '2', '--gen-epochs', '0', '10', '--stages', 'gen', '--checkpoint-every', '0']   # 8 epochs left after the kill
    exe = Path(sys.executable).parent/'accelerate'
    p = subprocess.Popen([str(exe), 'launch', *LAUNCH, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env={**os.environ, 'OMP_NUM_THREADS': '1'})
    try:   # SIGKILL the launcher and both processes once two epochs are checkpointed, as when a Kaggle session drops
        wait_for_checkpoint(p, run/'gen')
        kill_all(str(run)); p.wait()
    finally:
        if p.poll() is None: kill_all(str(run))
    again = launch(*args)   # the same command again
    resumed = [l for l in again.stdout.splitlines() if l.startswith('Resuming from')]
    assert len(resumed) == 1 and int(resumed[0].split(': ')[1].split()[0]) >= 1, again.stdout   # process 0 says so, once
    assert json.loads((run/'stages.json').read_text())['gen']['epochs'] in (10, 11)   # none twice (but the one a kill may cut)
    assert not (run/'gen'/'last.pth').exists() and (run/'export'/'generator.safetensors').exists()

def test_a_function_started_on_two_processes_trains_as_a_kaggle_notebook_does(photos, tmp_path):
    res = subprocess.run([sys.executable, str(Path(__file__).parent/'notebook_launch_check.py'), str(photos), str(tmp_path/'run')],
                         capture_output=True, text=True, timeout=600, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert res.returncode == 0, res.stderr[-3000:]
    assert json.loads((tmp_path/'run'/'stages.json').read_text())['gen']['epochs'] == 2
    assert (tmp_path/'run'/'export'/'generator.safetensors').exists()
