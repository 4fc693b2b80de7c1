"End-to-end tests of the `gan-restore` command (its `main`, as the installed command runs it: see `conftest.run_cli`)."
import json
import numpy as np
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio, structural_similarity
from conftest import run_cli

def test_help_for_every_command():
    out = run_cli('--help', check=0, process=True).stdout   # the installed command itself: its entry point works
    for cmd in ('degrade', 'evaluate', 'download', 'export', 'push'):
        assert cmd in out
        assert 'usage: gan-restore ' + cmd in run_cli(cmd, '--help', check=0).stdout

def test_degrade_then_evaluate_matches_scikit_image(photos, tmp_path):
    out = tmp_path/'pairs'
    assert 'wrote 6 pair(s)' in run_cli('degrade', photos, out, '--spec', 'gaussian:25', '--seed', '3', check=0).stdout
    names = sorted(f.name for f in (out/'clean').iterdir())
    assert names == sorted(f.stem + '.png' for f in photos.iterdir())
    assert sorted(f.name for f in (out/'degraded').iterdir()) == names
    assert Image.open(out/'clean'/'camera.png').mode == 'L' and Image.open(out/'degraded'/'camera.png').mode == 'L'
    # The clean copy of the 16-bit photo is its 8-bit version, not clipped to white.
    assert 0 < np.asarray(Image.open(out/'clean'/'moon16.png')).mean() < 250

    res = run_cli('evaluate', out/'degraded', out/'clean', '--json', tmp_path/'r.json', check=0)
    assert 'mean' in res.stdout
    scores = json.loads((tmp_path/'r.json').read_text())
    ps, ss = [], []
    for n in names:
        gt, pr = np.asarray(Image.open(out/'clean'/n)), np.asarray(Image.open(out/'degraded'/n))
        kw = {'channel_axis': -1} if gt.ndim == 3 else {}
        ps.append(peak_signal_noise_ratio(gt, pr, data_range=255))
        ss.append(structural_similarity(gt, pr, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255, **kw))
    assert abs(scores['mean']['psnr'] - np.mean(ps)) < 1e-6
    assert abs(scores['mean']['ssim'] - np.mean(ss)) < 1e-6
    assert 19 < scores['mean']['psnr'] < 23

def test_evaluate_with_input_baseline(photos, tmp_path):
    run_cli('degrade', photos, tmp_path/'heavy', '--spec', 'gaussian:40', check=0)
    run_cli('degrade', photos, tmp_path/'light', '--spec', 'gaussian:10', check=0)
    res = run_cli('evaluate', tmp_path/'light'/'degraded', tmp_path/'light'/'clean', '--input', tmp_path/'heavy'/'degraded',
                  '--json', tmp_path/'r.json', check=0)
    scores = json.loads((tmp_path/'r.json').read_text())
    assert scores['mean']['psnr'] > scores['input']['psnr'] + 8
    assert 'input' in res.stdout

def test_same_seed_same_pairs(photos, tmp_path):
    for name, seed in (('a', 0), ('b', 0), ('c', 1)): run_cli('degrade', photos, tmp_path/name, '--spec', 'jpeg:10-40+gaussian:5', '--seed', seed, check=0)
    read = lambda n: (tmp_path/n/'degraded'/'coffee.png').read_bytes()
    assert read('a') == read('b') != read('c')

def test_bad_photo_is_skipped_and_reported(photos, tmp_path):
    (photos/'truncated.png').write_bytes((photos/'coffee.png').read_bytes()[:300])
    res = run_cli('degrade', photos, tmp_path/'pairs', check=1)
    assert 'truncated.png' in res.stderr and 'skipped' in res.stderr
    assert len(list((tmp_path/'pairs'/'clean').iterdir())) == 6

def test_clear_errors(photos, tmp_path):
    res = run_cli('degrade', photos, tmp_path/'o', '--spec', 'snowy', check=2)
    assert "Unknown degradation 'snowy'" in res.stderr and 'gaussian:SIGMA' in res.stderr
    assert 'overlap' in run_cli('degrade', photos, photos/'out', check=2).stderr
    assert not (photos/'out').exists()

def test_never_overwrites_inputs(photos, tmp_path):
    run_cli('degrade', photos, tmp_path/'pairs', check=0)
    before = {f.name: f.read_bytes() for f in (tmp_path/'pairs'/'clean').iterdir()}
    # degrading pairs/clean into pairs/ would rewrite pairs/clean: refused, nothing touched
    assert 'overlap' in run_cli('degrade', tmp_path/'pairs'/'clean', tmp_path/'pairs', check=2).stderr
    assert {f.name: f.read_bytes() for f in (tmp_path/'pairs'/'clean').iterdir()} == before
    assert 'no such folder' in run_cli('evaluate', tmp_path/'none', photos, check=2).stderr
    assert 'Unknown data set' in run_cli('download', 'imagenet', check=2).stderr

def test_download_without_credentials_says_how(tmp_path, monkeypatch):
    monkeypatch.setenv('KAGGLE_CONFIG_DIR', str(tmp_path/'no_kaggle'))
    monkeypatch.delenv('KAGGLE_USERNAME', raising=False); monkeypatch.delenv('KAGGLE_KEY', raising=False)
    monkeypatch.delenv('KAGGLE_API_TOKEN', raising=False)
    res = run_cli('download', 'sidd', '--dest', tmp_path/'data', check=2)
    assert 'no Kaggle credentials' in res.stderr and 'kaggle.json' in res.stderr
    assert not (tmp_path/'data'/'sidd').exists()
