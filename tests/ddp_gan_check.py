"""Launched on two processes by test_distributed.py: a tiny GAN stage in both, then the weights of the two processes compared.

Prints one JSON line from process 0: whether both processes end with the same generator and the same critic, and whether
each network changed (a network left out of PyTorch's gradient exchange would train apart in each process)."""
import json, sys, warnings
warnings.filterwarnings('ignore')
import torch, torch.distributed as dist
from gan_restore.distributed import init_distributed, is_main
from gan_restore.data import clean_pairs, paired_dls
from gan_restore.generator import generator_learner
from gan_restore.critic import save_generated, critic_dls, critic_learner
from gan_restore.gan import gan_learner, train_gan

photos, out = sys.argv[1], sys.argv[2]
init_distributed()
dls = paired_dls(clean_pairs(photos), spec='gaussian:25', size=32, bs=2, repeat=4)
gen = generator_learner(dls, arch='resnet18', pretrained=False, path=out)
save_generated(gen, f'{out}/image_gen')
crit = critic_learner(critic_dls(f'{out}/image_gen', bs=2), size=32, nf=16, path=out)
gan = gan_learner(gen, crit, critic_thresh=10., max_critic=1)   # alternate: one critic step, then one generator step

def flat(m): return torch.cat([p.detach().float().flatten() for p in m.parameters()])
before = [flat(gan.model.generator), flat(gan.model.critic)]
with gan.no_bar(), gan.no_logging(): train_gan(gan, epochs=2, lr=1e-3, out=f'{out}/gan')
after = [flat(gan.model.generator), flat(gan.model.critic)]
mine = torch.stack([a.sum() for a in after] + [(a*a).sum() for a in after]).double()
all_ = [torch.zeros_like(mine) for _ in range(dist.get_world_size())]
dist.all_gather(all_, mine)
if is_main():
    print(json.dumps(dict(processes=len(all_), same=all(torch.allclose(all_[0], o, rtol=0, atol=1e-9) for o in all_[1:]),
                          generator_changed=bool((after[0] - before[0]).abs().max() > 0), critic_changed=bool((after[1] - before[1]).abs().max() > 0))))
