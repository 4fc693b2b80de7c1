"End-to-end `gan-restore restore`, `evaluate --baselines` and `demo`: tiny data, real files, the exit codes a script relies on."
import json
import numpy as np
from PIL import Image
from conftest import run_cli
from gan_restore.generator import fast_settings

TINY = ['--arch', 'resnet18', '--no-pretrained', '--size', '32', '--bs', '4', '--repeat', '2', '--gen-epochs', '0', '1',
        '--critic-epochs', '1', '--gan-epochs', '1', '--critic-nf', '16']

def test_degrade_train_restore_evaluate(photos, tmp_path):
    run_cli('degrade', photos, tmp_path/'pairs', '--spec', 'gaussian:25', check=0)
    res = run_cli('train', '--pairs', tmp_path/'pairs'/'degraded', tmp_path/'pairs'/'clean', '--out', tmp_path/'run', *TINY, '--pkl', check=0)
    exp = tmp_path/'run'/'export'   # safetensors and their JSON configs; fastai's .pkl because --pkl asked for it
    assert all((exp/f).exists() for f in ('best.safetensors', 'best.json', 'gan.safetensors', 'best.pkl', 'gan.pkl'))
    precision, channels_last = fast_settings('cpu', training=True)   # the log says which speed settings the device got
    assert f"cpu, {precision}{', channels_last' if channels_last else ''}, fused AdamW" in res.stdout
    # a folder of mixed modes and sizes, with one corrupt file among them
    inp = tmp_path/'in'; inp.mkdir()
    for f in photos.iterdir(): Image.open(f).save(inp/f.name)   # RGB, L, RGBA and 16-bit PNGs
    Image.open(photos/'coffee.png').resize((301, 77)).save(inp/'wide.jpg', quality=90)
    (inp/'broken.png').write_bytes(b'\x89PNG\r\n\x1a\n not really')
    res = run_cli('restore', inp, '--model', tmp_path/'run', '--out', tmp_path/'out', '--tile', '64', '--overlap', '8', check=1)
    precision, channels_last = fast_settings('cpu')   # restoring has settings of its own
    speed = f"cpu, {precision}{' weights' if precision == 'bf16' else ''}{', channels_last' if channels_last else ''}, fused"
    assert speed in res.stdout and 'tiles of 64 px' in res.stdout
    assert 'broken.png' in res.stderr and '1 file(s) could not be read' in res.stderr
    for f in inp.iterdir():
        if f.name == 'broken.png': assert not (tmp_path/'out'/f.name).exists(); continue
        a, b = Image.open(f), Image.open(tmp_path/'out'/f.name)
        assert (b.size, b.mode) == (a.size, a.mode), f.name
    rgba_in, rgba_out = np.asarray(Image.open(inp/'rocket.png')), np.asarray(Image.open(tmp_path/'out'/'rocket.png'))
    assert (rgba_in[..., 3] == rgba_out[..., 3]).all()   # alpha untouched
    assert not list((tmp_path/'out').glob('.*tmp*'))      # written atomically: no temporary files left
    # restore the degraded pairs and score them, with the classical denoisers beside
    res = run_cli('restore', tmp_path/'pairs'/'degraded', '--model', tmp_path/'run'/'export'/'best.pkl', '--out', tmp_path/'restored',
                  '--precision', 'fp32', check=0)
    assert 'cpu, fp32' in res.stdout
    res = run_cli('restore', tmp_path/'pairs'/'degraded', '--model', tmp_path/'run', '--out', tmp_path/'x', '--precision', 'fp8', check=2)
    assert "Unknown precision 'fp8'" in res.stderr
    run_cli('evaluate', tmp_path/'restored', tmp_path/'pairs'/'clean', '--input', tmp_path/'pairs'/'degraded',
            '--baselines', 'nlm,wavelet', '--json', tmp_path/'scores.json', check=0)
    scores = json.loads((tmp_path/'scores.json').read_text())
    assert [b['name'] for b in scores['baselines']] == ['nlm', 'wavelet']
    assert all(b['psnr'] > scores['input']['psnr'] for b in scores['baselines'])
    # the run's model without pickle (safetensors, and ONNX), which restore prefers: the same restored pixels as the .pkl's
    res = run_cli('export', tmp_path/'run', '--onnx', check=0)
    assert 'best.safetensors' in res.stdout and 'best.onnx' in res.stdout
    res = run_cli('restore', tmp_path/'pairs'/'degraded', '--model', tmp_path/'run', '--out', tmp_path/'restored_st', '--precision', 'fp32', check=0)
    assert 'best.safetensors' in res.stdout
    for f in (tmp_path/'restored').iterdir():
        a, b = (np.asarray(Image.open(d/f.name)).astype(int) for d in (tmp_path/'restored', tmp_path/'restored_st'))
        assert np.abs(a - b).max() <= 1, f.name
    # shared on the Hub: the folder a push would upload, and a push that cannot reach the Hub says so
    res = run_cli('push', tmp_path/'run', '--repo', 'someone/denoiser', '--dry-run', tmp_path/'hub', '--space', 'someone/denoiser-app', check=0)
    assert sorted(p.name for p in (tmp_path/'hub').iterdir()) == ['README.md', 'config.json', 'grid.png', 'model.safetensors']
    assert "restore_app('someone/denoiser')" in (tmp_path/'hub_space'/'app.py').read_text()   # the Space that serves it
    assert 'nothing uploaded' in res.stdout and 'someone/denoiser' in (tmp_path/'hub'/'README.md').read_text()
    res = run_cli('push', tmp_path/'run', '--repo', 'someone/denoiser', env={'HF_HUB_OFFLINE': '1'}, check=2, process=True)   # read when huggingface_hub is imported
    assert 'Could not upload to the Hugging Face Hub' in res.stderr
    run_cli('push', tmp_path/'run', '--repo', 'not a repo', check=2)
    assert 'USER/NAME' in run_cli('push', tmp_path/'run', '--repo', 'someone/denoiser', '--space', 'no space', check=2).stderr

def test_restore_never_overwrites_inputs(photos, tmp_path):
    before = {f.name: f.read_bytes() for f in photos.iterdir()}
    model = tmp_path/'model.pkl'; model.write_bytes(b'unused')   # refused before the model matters
    for out in (photos, photos/'sub'):
        res = run_cli('restore', photos, '--model', model, '--out', out, check=2)
        assert 'inputs are never overwritten' in res.stderr or 'overwrite input' in res.stderr
    res = run_cli('restore', photos/'coffee.png', '--model', model, '--out', photos, check=2)
    assert 'overwrite input' in res.stderr
    assert {f.name: f.read_bytes() for f in photos.iterdir()} == before

def test_demo_writes_the_report(tmp_path):
    out = tmp_path/'demo'   # the default --out, relative to the working folder, as the README's command runs it
    res = run_cli('demo', '--minutes', '0.6', '--size', '32', '--no-pretrained', check=0, cwd=tmp_path)
    names = [r['name'] for r in json.loads((out/'results.json').read_text())]
    assert names[:4] == ['input', 'nlm', 'tv', 'wavelet'] and names[-3:] == ['pix2pix', 'fastai_generator', 'fastai_gan']
    page = (out/'report.html').read_text()
    assert page.count('data:image/png;base64,') >= 4 and 'fastai_gan' in page
    assert (out/'run'/'export'/'gan.safetensors').exists() and 'report' in res.stdout
