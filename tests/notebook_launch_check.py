"""Run by test_distributed.py: `train_restorer` in two CPU processes started from a function, as a Kaggle notebook starts it
on two GPUs with accelerate's `notebook_launcher` (`debug_launcher` is its CPU twin)."""
import sys, warnings
warnings.filterwarnings('ignore')
from accelerate import debug_launcher

photos, out = sys.argv[1], sys.argv[2]

def train():
    from gan_restore.distributed import init_distributed
    init_distributed()   # first: each process on its own device
    from gan_restore.data import clean_pairs, paired_dls
    from gan_restore.gan import train_restorer
    dls = paired_dls(clean_pairs(photos), spec='gaussian:25', size=32, bs=2, repeat=2)
    train_restorer(dls, out, arch='resnet18', pretrained=False, stages='gen', epochs={'gen': (0, 2)})

if __name__ == '__main__': debug_launcher(train, num_processes=2)
