"The README is generated from nbs/index.ipynb and opens with the two commands that .ci/run runs."
import subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def test_readme_is_generated_from_index_notebook():
    res = subprocess.run([sys.executable, str(root/'tools'/'make_readme.py'), '--check'], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr

def test_readme_opens_with_install_and_test_commands():
    text = (root/'README.md').read_text()
    block = text.split('```sh\n', 1)[1].split('```', 1)[0].strip().splitlines()
    assert len(block) == 2
    assert block[0].startswith('pip install') and 'gan-restore' in block[0]
    assert block[1].startswith('pip install') and 'pytest' in block[1]
