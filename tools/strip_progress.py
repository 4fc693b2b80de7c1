"""Remove progress bars (fastprogress's HTML bars and their console form) from the notebooks' committed outputs, so
that the docs pages show the tables, curves, grids and messages a reader wants, not bar text. A console bar redraws
its line with carriage returns: each line is reduced to what a terminal would show (the text after its last carriage
return), bar lines are dropped and text printed straight after a bar is kept.
Usage: python tools/strip_progress.py [--check] [NOTEBOOK ...]   (default: every notebook under nbs/)"""
import json, re, sys
from pathlib import Path

BAR = re.compile(r'\u2588|\|-+\| *\d+\.\d+%|<progress')   # a console bar's full block, an empty bar and its percentage, an HTML bar
# (a Markdown table's '|---|' rule is not a bar)
_BAR_TEXT = re.compile(r'^.*\d+\.\d+% \[\d+/\d+ [^\]]*\]')   # a console bar up to its counter: '|███---| 33.33% [1/3 00:00<00:01]'

def has_bar(o)->bool:
    parts = [o.get('text', '')] + [o.get('data', {}).get(k, '') for k in ('text/html', 'text/plain')]
    return bool(BAR.search(''.join(''.join(p) if isinstance(p, list) else p for p in parts)))

def clean_text(text:str)->str:
    "`text` as a terminal would leave it, without progress-bar lines."
    out = []
    for line in text.split('\n'):
        segs = [s for s in line.split('\r') if s.strip()]
        shown = segs[-1] if segs else ''
        if BAR.search(shown): shown = _BAR_TEXT.sub('', shown) if _BAR_TEXT.search(shown) else ''
        if shown.strip() or not line: out.append(shown.rstrip())
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(out)).lstrip('\n')

def strip(nb:Path, check:bool=False)->int:
    "Clean the outputs of `nb` that show progress bars (unless `check`); how many there are."
    d = json.loads(nb.read_text())
    n = 0
    for c in d['cells']:
        keep = []
        for o in c.get('outputs', []):
            if not has_bar(o): keep.append(o); continue
            n += 1
            if o.get('output_type') != 'stream': continue   # an HTML bar: nothing else in it
            o['text'] = clean_text(''.join(o['text'])).splitlines(keepends=True)
            if ''.join(o['text']).strip(): keep.append(o)
        if not check and 'outputs' in c: c['outputs'] = keep
    if n and not check: nb.write_text(json.dumps(d, indent=1, ensure_ascii=False, sort_keys=True) + '\n')
    return n

if __name__ == '__main__':
    check = '--check' in sys.argv
    root = Path(__file__).resolve().parent.parent
    nbs = [Path(a) for a in sys.argv[1:] if a != '--check'] or sorted((root/'nbs').rglob('*.ipynb'))
    found = {str(nb): k for nb in nbs if (k := strip(nb, check))}
    for nb, k in found.items(): print(f"{nb}: {k} output(s) with progress bars" + ('' if check else ', cleaned'))
    sys.exit(1 if found and check else 0)
