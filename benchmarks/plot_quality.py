"""Plot a `quality_per_minute.py` JSON: PSNR of each learned model against its training minutes, the classical
denoisers and the input as horizontal lines. Usage: python benchmarks/plot_quality.py RESULTS.json OUT.png"""
import json, sys
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

res = json.load(open(sys.argv[1]))
mins = sorted(res['minutes'], key=float)
fig, ax = plt.subplots(figsize=(7, 4.2))
for name, style in (('plain', 'o--'), ('generator', 'o-'), ('gan', 's-'), ('pix2pix', '^:')):
    pts = [(float(m), res['minutes'][m][name]['psnr']) for m in mins if name in res['minutes'][m]]
    if pts: ax.plot(*zip(*pts), style, label={'plain': 'plain loop (same U-Net)', 'generator': 'ours: best generator',
                                               'gan': 'ours: GAN', 'pix2pix': 'pix2pix'}[name])
for (name, r), c in zip(res['classical'].items(), ('gray', 'tab:olive', 'tab:brown', 'black')):
    ax.axhline(r['psnr'], color=c, lw=1, ls='-.', label=f"{name} {r['psnr']:.2f}")
ax.set_xlabel('training minutes (this CPU)'); ax.set_ylabel('PSNR on held-out photos (dB)')
ax.set_title(f"{res['spec']}, {res['n_valid']} held-out photos"); ax.legend(fontsize=8, loc='lower right'); ax.grid(alpha=0.3)
fig.tight_layout(); fig.savefig(sys.argv[2], dpi=100)
