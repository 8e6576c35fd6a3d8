"""workloads — the PyTorch twins of `make bench`'s MLP workloads.

The C benchmark is the one definition: `build/bin/bench --list-workloads`
prints one line per workload (name, kind, layer sizes, activation, batch,
learning rate, ...), and build() turns such a line into the same job in
PyTorch, so that the two sides cannot drift apart:

  kind=step     one training step: forward, MSE against fixed random targets,
                zero the gradients, backward, one Adam step (lr from the line;
                PyTorch's defaults betas (0.9, 0.999), eps 1e-8 are the C side's)
  kind=forward  one forward pass of a batch without gradients (acting)
  kind=diffusion-train   one training step of tiny-diffusion (tanelp/tiny-diffusion,
                its model, noise scheduler and training loop, on the C side's moons
                points): embeddings, GELU (exact), residual blocks, MSE on the noise,
                clip_grad_norm_, AdamW; batches from a shuffled epoch, last one dropped
  kind=diffusion-sample  sampling a batch of points with its T steps (tiny-diffusion's
                loop: posterior mean plus sqrt(beta~_t) noise, none at the last step)

The C side's "gelu" is the tanh form, so it is nn.GELU(approximate="tanh") here;
"gelu-erf" is nn.GELU(), the exact one. The diffusion workloads read their data
from the file the C benchmark writes (bench --write-data), so both sides train on
the same points.
"""
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": lambda: nn.GELU(approximate="tanh"),
    "gelu-erf": nn.GELU,
}


def network(sizes, act):
    """Linear layers of the given widths, the activation between them, a linear output."""
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(ACTIVATIONS[act]())
    return nn.Sequential(*layers)


def build(w, seed=1, data=None, quick=False):
    """A function that runs workload w (a dict of --list-workloads' fields) once.
    data: the (n, 2) points of the diffusion workloads; quick: their short form."""
    torch.manual_seed(seed)
    if w["kind"].startswith("diffusion-"):
        return build_diffusion(w, data, quick)
    sizes = [int(s) for s in w["sizes"].split(",")]
    batch = int(w["batch"])
    net = network(sizes, w["act"])
    x = torch.randn(batch, sizes[0])
    if w["kind"] == "forward":
        def forward():
            with torch.no_grad():
                net(x)
        return forward
    if w["kind"] != "step" or w["optimizer"] != "adam" or w["loss"] != "mse":
        raise ValueError("workload %s: no PyTorch twin for %s" % (w["name"], w))
    target = torch.randn(batch, sizes[-1])
    opt = torch.optim.Adam(net.parameters(), lr=float(w["lr"]))

    def step():
        loss = F.mse_loss(net(x), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


# ---------------------------------------------------------------- tiny-diffusion
# tanelp/tiny-diffusion (ddpm.py), its parts as it writes them: t runs over
# 0..T-1 there (1..T on the C side: the same work).

class SinusoidalEmbedding(nn.Module):
    def __init__(self, size, scale=1.0):
        super().__init__()
        self.size, self.scale = size, scale

    def forward(self, x):
        x = x * self.scale
        half = self.size // 2
        emb = torch.log(torch.Tensor([10000.0])) / (half - 1)
        emb = torch.exp(-emb * torch.arange(half))
        emb = x.unsqueeze(-1) * emb.unsqueeze(0)
        return torch.cat((torch.sin(emb), torch.cos(emb)), dim=-1)


class Block(nn.Module):
    def __init__(self, size, act):
        super().__init__()
        self.ff = nn.Linear(size, size)
        self.act = ACTIVATIONS[act]()

    def forward(self, x):
        return x + self.act(self.ff(x))


class Denoiser(nn.Module):
    """Embeddings of x_scale*x, x_scale*y and t_scale*t, 2F values each; then the
    layer sizes of the line (equal widths after the first: residual blocks)."""

    def __init__(self, sizes, act, freqs, x_scale, t_scale):
        super().__init__()
        self.x1 = SinusoidalEmbedding(2 * freqs, x_scale)
        self.x2 = SinusoidalEmbedding(2 * freqs, x_scale)
        self.t = SinusoidalEmbedding(2 * freqs, t_scale)
        if sizes[0] != 6 * freqs:
            raise ValueError("diffusion workload: %d inputs, not 3 embeddings of %d" % (sizes[0], 2 * freqs))
        layers = [nn.Linear(sizes[0], sizes[1]), ACTIVATIONS[act]()]
        layers += [Block(h, act) for h in sizes[2:-1]]
        layers.append(nn.Linear(sizes[-2], sizes[-1]))
        self.joint = nn.Sequential(*layers)

    def forward(self, x, t):
        return self.joint(torch.cat((self.x1(x[:, 0]), self.x2(x[:, 1]), self.t(t)), dim=-1))


class NoiseScheduler:
    def __init__(self, T, beta_start, beta_end):
        self.T = T
        self.betas = torch.linspace(beta_start, beta_end, T, dtype=torch.float32)
        self.alphas = 1.0 - self.betas
        self.alphas_cumprod = torch.cumprod(self.alphas, axis=0)
        self.alphas_cumprod_prev = F.pad(self.alphas_cumprod[:-1], (1, 0), value=1.)
        self.sqrt_alphas_cumprod = self.alphas_cumprod ** 0.5
        self.sqrt_one_minus_alphas_cumprod = (1 - self.alphas_cumprod) ** 0.5
        self.sqrt_inv_alphas_cumprod = torch.sqrt(1 / self.alphas_cumprod)
        self.sqrt_inv_alphas_cumprod_minus_one = torch.sqrt(1 / self.alphas_cumprod - 1)
        self.posterior_mean_coef1 = self.betas * torch.sqrt(self.alphas_cumprod_prev) / (1. - self.alphas_cumprod)
        self.posterior_mean_coef2 = ((1. - self.alphas_cumprod_prev) * torch.sqrt(self.alphas)
                                     / (1. - self.alphas_cumprod))

    def reconstruct_x0(self, x_t, t, noise):
        s1 = self.sqrt_inv_alphas_cumprod[t].reshape(-1, 1)
        s2 = self.sqrt_inv_alphas_cumprod_minus_one[t].reshape(-1, 1)
        return s1 * x_t - s2 * noise

    def q_posterior(self, x_0, x_t, t):
        s1 = self.posterior_mean_coef1[t].reshape(-1, 1)
        s2 = self.posterior_mean_coef2[t].reshape(-1, 1)
        return s1 * x_0 + s2 * x_t

    def get_variance(self, t):
        if t == 0:
            return 0
        variance = self.betas[t] * (1. - self.alphas_cumprod_prev[t]) / (1. - self.alphas_cumprod[t])
        return variance.clip(1e-20)

    def step(self, model_output, t, sample):
        pred_original = self.reconstruct_x0(sample, t, model_output)
        pred_prev = self.q_posterior(pred_original, sample, t)
        variance = 0
        if t > 0:
            variance = (self.get_variance(t) ** 0.5) * torch.randn_like(model_output)
        return pred_prev + variance

    def add_noise(self, x_start, x_noise, timesteps):
        s1 = self.sqrt_alphas_cumprod[timesteps].reshape(-1, 1)
        s2 = self.sqrt_one_minus_alphas_cumprod[timesteps].reshape(-1, 1)
        return s1 * x_start + s2 * x_noise


def build_diffusion(w, data, quick):
    if data is None:
        raise ValueError("workload %s needs the data set (bench --write-data)" % w["name"])
    sizes = [int(s) for s in w["sizes"].split(",")]
    if w.get("init") != "torch":
        raise ValueError("workload %s: no PyTorch twin for init %s" % (w["name"], w.get("init")))
    model = Denoiser(sizes, w["act"], int(w["freqs"]), float(w["x_scale"]), float(w["t_scale"]))
    beta0, beta1 = (float(b) for b in w["beta"].split(","))
    batch, T = int(w["batch"]), int(w["T"])
    if w["kind"] == "diffusion-sample":
        if quick:
            T = 100                    # as the C side's --quick
        sched = NoiseScheduler(T, beta0, beta1)
        model.eval()

        return lambda: sample_points(model, sched, batch)
    if (w["kind"] != "diffusion-train" or w["optimizer"] != "adamw" or w["loss"] != "mse"):
        raise ValueError("workload %s: no PyTorch twin for %s" % (w["name"], w))
    sched = NoiseScheduler(T, beta0, beta1)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(data), batch_size=batch, shuffle=True,
                                         drop_last=True)
    opt = torch.optim.AdamW(model.parameters(), lr=float(w["lr"]), weight_decay=float(w["weight_decay"]))
    clip = float(w["clip"])
    model.train()
    batches = iter(())

    def step():
        nonlocal batches
        try:
            (x0,) = next(batches)
        except StopIteration:          # a new epoch
            batches = iter(loader)
            (x0,) = next(batches)
        noise = torch.randn(x0.shape)
        timesteps = torch.randint(0, sched.T, (x0.shape[0],)).long()
        noisy = sched.add_noise(x0, noise, timesteps)
        loss = F.mse_loss(model(noisy, timesteps), noise)
        loss.backward(loss)
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        opt.zero_grad()
        return loss
    step.model, step.sched = model, sched     # for sample_points after training (bench_torch.py --quality)
    return step


def sample_points(model, sched, n):
    """tiny-diffusion's sampling loop: n points from x_T ~ N(0, I), T steps."""
    model.eval()
    x = torch.randn(n, 2)
    for t in range(sched.T - 1, -1, -1):
        tt = torch.from_numpy(np.repeat(t, n)).long()
        with torch.no_grad():
            residual = model(x, tt)
        x = sched.step(residual, t, x)
    return x
