"End-to-end `gan-restore train`: all three stages from clean photos, the ImageNet fallback, resume, a kill mid-stage."
import json, os, signal, subprocess, sys
from pathlib import Path
from conftest import run_cli, wait_for_checkpoint

TINY = ['--arch', 'resnet18', '--size', '32', '--bs', '4', '--repeat', '2', '--gen-epochs', '0', '1',
        '--critic-epochs', '1', '--gan-epochs', '1', '--critic-nf', '16']

def test_train_without_imagenet_weights_falls_back_then_resumes(photos, tmp_path):
    # a file where torch's cache folder should be: the weights can be neither found nor downloaded, on any machine
    (tmp_path/'blocked').write_text('not a folder')
    env = {'TORCH_HOME': str(tmp_path/'blocked'/'torch')}
    run = tmp_path/'run'
    res = run_cli('train', '--clean', photos, '--spec', 'gaussian:25', '--out', run, *TINY, env=env, check=0)
    assert 'Could not get the ImageNet weights of resnet18' in res.stderr and 'random' in res.stderr
    assert json.loads((run/'config.json').read_text())['pretrained'] is False
    rows = json.loads((run/'results.json').read_text())
    assert [r['name'] for r in rows] == ['input', 'generator', 'gan_best', 'gan_final']
    assert all(r['psnr'] > 5 and 0 < r['ssim'] <= 1 for r in rows)
    for f in ('export/best.safetensors', 'export/gan.safetensors', 'gen/curves.png', 'gen/grid.png', 'critic/best.pth', 'gan/critic.pth', 'results.md'):
        assert (run/f).exists(), f
    stamp = (run/'export'/'generator.safetensors').stat().st_mtime_ns

    again = run_cli('train', '--clean', photos, '--spec', 'gaussian:25', '--out', run, '--no-pretrained', *TINY, check=0)
    assert 'Stage 1/3' not in again.stdout and 'Stage 3/3' not in again.stdout   # all stages were done: nothing retrained
    assert (run/'export'/'generator.safetensors').stat().st_mtime_ns == stamp
    assert json.loads((run/'results.json').read_text()) == rows

def test_train_refuses_a_run_folder_of_another_model(photos, tmp_path):
    run = tmp_path/'run'
    run.mkdir()
    (run/'config.json').write_text(json.dumps({'arch': 'resnet50'}))
    res = run_cli('train', '--clean', photos, '--out', run, '--no-pretrained', *TINY, check=2)
    assert 'arch: resnet50 there, resnet18 now' in res.stderr

def test_train_pix2pix_then_compare_in_the_same_run_folder(photos, tmp_path):
    run = tmp_path/'run'
    p2p = ['--size', '32', '--bs', '4', '--repeat', '2', '--pix2pix-epochs', '1', '1', '--ngf', '8']
    res = run_cli('train', '--clean', photos, '--out', run, '--model', 'pix2pix', *p2p, check=0)
    assert 'pix2pix_best' in res.stdout
    rows = json.loads((run/'results.json').read_text())
    assert [r['name'] for r in rows] == ['input', 'pix2pix_best', 'pix2pix_final'] and rows[1]['params'] > 0
    for f in ('export/pix2pix.safetensors', 'export/pix2pix_final.safetensors', 'pix2pix/curves.png', 'pix2pix/grid.png', 'pix2pix/history.csv'):
        assert (run/f).exists(), f
    # both: the fastai workflow joins the finished pix2pix run (not retrained) in one table and one grid
    stamp = (run/'export'/'pix2pix_final.safetensors').stat().st_mtime_ns
    run_cli('train', '--clean', photos, '--out', run, '--model', 'both', '--no-pretrained', *TINY, *p2p[6:], check=0)
    names = [r['name'] for r in json.loads((run/'results.json').read_text())]
    assert names == ['input', 'generator', 'gan_best', 'gan_final', 'pix2pix_best', 'pix2pix_final']
    assert (run/'comparison.png').exists() and (run/'export'/'pix2pix_final.safetensors').stat().st_mtime_ns == stamp

def test_train_killed_mid_stage_resumes_within_that_stage(photos, tmp_path):
    run = tmp_path/'run'
    args = ['train', '--clean', photos, '--out', run, '--no-pretrained', '--arch', 'resnet18', '--size', '32', '--bs', '4',
            '--repeat', '2', '--gen-epochs', '0', '12', '--stages', 'gen', '--checkpoint-every', '0']   # 10 epochs left after the kill: time enough to kill it
    exe = Path(sys.executable).parent/'gan-restore'
    p = subprocess.Popen([str(exe), *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:   # SIGKILL once the stage has finished two epochs: no chance to clean up, as when a Colab session drops
        wait_for_checkpoint(p, run/'gen')
        os.kill(p.pid, signal.SIGKILL); p.wait()
    finally:
        if p.poll() is None: p.kill()
    again = run_cli(*args, check=0)   # the same command again
    resumed = [l for l in again.stdout.splitlines() if l.startswith('Resuming from')]
    # from the epochs checkpointed before the kill (the log may hold one more row than the last checkpoint: the kill can fall between them)
    assert resumed and int(resumed[0].split(': ')[1].split()[0]) >= 1, again.stdout
    done = json.loads((run/'stages.json').read_text())['gen']
    assert done['epochs'] in (12, 13)   # the history holds both runs' epochs, none twice (but the one a kill may interrupt)
    assert not (run/'gen'/'last.pth').exists() and (run/'export'/'generator.safetensors').exists()
