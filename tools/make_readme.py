"""Write README.md from nbs/index.ipynb without Quarto: markdown cells as they are, code cells as Python blocks.

nbdev's own `nbdev-readme` needs Quarto, which the docs build in GitHub Actions has and a development machine may not.
`python tools/make_readme.py --check` exits 1 when README.md is out of date.
"""
import sys, json
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def readme_text(nb_path=root/'nbs'/'index.ipynb'):
    cells = json.loads(Path(nb_path).read_text())['cells']
    out = []
    for c in cells:
        src = ''.join(c['source']).strip()
        if not src or src.startswith('#| hide'): continue
        if c['cell_type'] == 'markdown':
            lines = src.splitlines()
            if lines[0].startswith('> '): lines[0] = lines[0][2:]   # nbdev's description line becomes the lead paragraph
            text = '\n'.join(lines)
            for d in ('images/', 'tutorials/'): text = text.replace(f']({d}', f'](nbs/{d}')   # links relative to nbs/ in the docs
            out.append(text)
        else:
            out.append(f'```python\n{src}\n```')
    header = '<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->\n\n'
    return header + '\n\n'.join(out) + '\n'

if __name__ == '__main__':
    text, readme = readme_text(), root/'README.md'
    if '--check' in sys.argv:
        ok = readme.exists() and readme.read_text() == text
        print('README.md is up to date' if ok else 'README.md is out of date: run python tools/make_readme.py')
        sys.exit(0 if ok else 1)
    readme.write_text(text)
    print(f'wrote {readme}')
