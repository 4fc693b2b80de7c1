"What the docs site's Quarto build reads (Quarto itself is not installed here): every file the config names exists, and the sidebar lists every notebook once."
import tomllib
from pathlib import Path
import yaml

root = Path(__file__).resolve().parent.parent
nbs = root/'nbs'

def _sidebar_files(items):
    for it in items:
        if isinstance(it, str): yield it
        elif isinstance(it, dict) and 'contents' in it: yield from _sidebar_files(it['contents'])
        elif isinstance(it, dict) and 'href' in it: yield it['href']

def test_quarto_config_names_files_that_exist():
    cfg = yaml.safe_load((nbs/'_quarto.yml').read_text())
    css = cfg['format']['html']['css']
    for f in ([css] if isinstance(css, str) else css): assert (nbs/f).is_file(), f"_quarto.yml names {f}, which is missing"
    for f in cfg['metadata-files']: assert (nbs/f).is_file(), f"_quarto.yml names {f}, which is missing"

def test_sidebar_groups_every_notebook_once():
    assert tomllib.loads((root/'pyproject.toml').read_text())['tool']['nbdev']['custom_sidebar'], "nbdev would overwrite sidebar.yml"
    side = yaml.safe_load((nbs/'sidebar.yml').read_text())['website']['sidebar']['contents']
    listed = list(_sidebar_files(side))
    assert len(listed) == len(set(listed)), 'a page is listed twice'
    pages = {str(p.relative_to(nbs)) for p in nbs.rglob('*.ipynb') if '.ipynb_checkpoints' not in p.parts and not p.name.startswith('_')}
    assert set(listed) == pages, f"missing from the sidebar: {pages - set(listed)}; listed but absent: {set(listed) - pages}"
    sections = [it['section'] for it in side if isinstance(it, dict)]
    assert 'Tutorials' in sections and len(sections) >= 4

def test_committed_outputs_show_no_progress_bars():
    "Docs pages render the notebooks' committed outputs: bar text there hides the tables (fix: python tools/strip_progress.py)."
    import subprocess, sys
    res = subprocess.run([sys.executable, str(root/'tools'/'strip_progress.py'), '--check'], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout

def test_progress_bar_text_is_reduced_to_what_a_terminal_shows():
    import sys; sys.path.insert(0, str(root/'tools'))
    from strip_progress import clean_text
    bar = ' |\u2588\u2588--| 50.00% [1/2 00:01<00:01]\r |\u2588\u2588\u2588\u2588| 100.00% [2/2 00:02<00:00]'
    text = f"Stage 1\n\u2588\repoch  psnr\n{bar}\r0      20.1\n{bar}restored 3 file(s)\n"
    assert clean_text(text) == "Stage 1\nepoch  psnr\n0      20.1\nrestored 3 file(s)\n"
    table = "| name | psnr |\n|------|-----:|\n| nlm  | 28.0 |\n"
    assert clean_text(table) == table   # a Markdown table printed by a cell is not a progress bar
