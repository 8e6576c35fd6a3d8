"""workloads — the PyTorch twins of `make bench`'s MLP workloads.

The C benchmark is the one definition: `build/bin/bench --list-workloads`
prints one line per workload (name, kind, layer sizes, activation, batch,
learning rate, ...), and build() turns such a line into the same job in
PyTorch, so that the two sides cannot drift apart:

  kind=step     one training step: forward, MSE against fixed random targets,
                zero the gradients, backward, one Adam step (lr from the line;
                PyTorch's defaults betas (0.9, 0.999), eps 1e-8 are the C side's)
  kind=forward  one forward pass of a batch without gradients (acting)

The C side's GELU is the tanh form, so it is nn.GELU(approximate="tanh") here.
"""
import torch
from torch import nn
import torch.nn.functional as F

ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": lambda: nn.GELU(approximate="tanh"),
}


def network(sizes, act):
    """Linear layers of the given widths, the activation between them, a linear output."""
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(ACTIVATIONS[act]())
    return nn.Sequential(*layers)


def build(w, seed=1):
    """A function that runs workload w (a dict of --list-workloads' fields) once."""
    torch.manual_seed(seed)
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
