"`gan-restore app` in a real browser: headless Chromium uploads a photo, restores it with the model picked, downloads the result."
import importlib.util, os, sys
from pathlib import Path
import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata
from conftest import run_cli

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root/'tools'))
from app_browser import chromium, free_port, serve, drive_app

def _missing()->str|None:
    for m in ('gradio', 'selenium'):
        if importlib.util.find_spec(m) is None: return f'{m} is not installed (pip install -e ".[dev]")'
    if chromium() is None: return 'Chromium is not installed (apt-get install chromium chromium-driver)'

def test_app_restores_an_upload_in_the_browser(tmp_path):
    if (why := _missing()) is not None:
        # .ci/run installs the browser and sets this: there the test runs or fails, never skips
        if os.environ.get('GAN_RESTORE_REQUIRE_BROWSER') == '1': pytest.fail(why)
        pytest.skip(why)
    photos = tmp_path/'photos'; photos.mkdir()
    for n in ['astronaut', 'coffee', 'chelsea', 'rocket']: Image.fromarray(getattr(skdata, n)()[:128, :160]).save(photos/f'{n}.png')
    run_cli('train', '--clean', photos, '--spec', 'gaussian:25', '--out', tmp_path/'run', '--no-pretrained', '--arch', 'resnet18',
            '--size', '32', '--bs', '4', '--repeat', '4', '--gen-epochs', '0', '3', '--stages', 'gen', check=0)
    photo = tmp_path/'upload.png'   # a photo the model has not seen, of an odd size
    rng = np.random.default_rng(0)
    clean = skdata.coffee()[50:237, 60:301].astype(float)
    Image.fromarray(np.clip(clean + rng.normal(0, 25, clean.shape), 0, 255).astype(np.uint8)).save(photo)
    port = free_port()
    app = serve(tmp_path/'run', port, '--precision', 'fp32')
    try: out = drive_app(f'http://127.0.0.1:{port}/', photo, tmp_path/'downloads', tmp_path/'page.png', model='generator (stage 1)')
    finally: app.terminate(); app.wait(10)
    restored, upload = np.asarray(Image.open(out), dtype=float), np.asarray(Image.open(photo), dtype=float)
    assert restored.shape == upload.shape, (restored.shape, upload.shape)
    assert np.abs(restored - upload).mean() > 0.1, 'the downloaded result is the uploaded photo'   # 12 steps from the identity: a small correction, but not none
    assert (tmp_path/'page.png').stat().st_size > 10_000   # a screenshot of the page, kept when the test fails
