"""Training throughput of CrystalNet: crystals per second for forward + backward + Adam step.

Times our implementation and, in the same run, the paper's way of conditioning (its code repeats the 1024-d
conditioning vector for every query point, so the FiLM MLPs run once per point instead of once per crystal), and
prints the ratio. Inputs are random tensors of the paper's shapes (1 × 1024 pattern, 119 formula, P query points), so
data loading is not timed (see bench/data.py for that).

    python bench/train.py                                   # CPU, paper-size model, batch 16 × 1000 points
    python bench/train.py --device cuda --batch 128         # GPU: fp32, bf16 and bf16 + torch.compile
    python bench/train.py --model small --batch 32          # the small CPU configuration
"""
import argparse, json, time
import torch
from deep_xtal.model import CrystalNet, ModelConfig, kl_divergence

def per_point_film(model, pattern, formula, points, generator=None):
    "The paper's conditioning: encoders per crystal, then FiLM on the conditioning vector repeated for every point."
    stats = model.encode(pattern, formula)
    kl = sum(kl_divergence(mu, ls) for mu, ls in stats)/len(stats)
    z = model.latents(stats, 1, generator)[0]                       # (B, 2·latent)
    B, P, _ = points.shape
    zp = z[:, None].expand(B, P, -1).reshape(B*P, -1)                     # repeated per point
    h0 = model.film_scale(zp)*model.point(model.features(points)).reshape(B*P, -1) + model.film_bias(zp)
    h = model.blocks[0](h0)
    for block in model.blocks[1:]: h = block(torch.cat([h, h0], -1))
    return dict(pred=model.out(h).reshape(1, B, P), kl=kl)

def time_steps(model, call, B, P, device, steps, amp, compiled):
    "Seconds per optimisation step (after warm-up)."
    c = model.config
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    g = torch.Generator(device).manual_seed(0)
    x = (torch.rand(B, c.n_channels, c.n_bins, device=device, generator=g), torch.rand(B, 119, device=device, generator=g),
         torch.rand(B, P, 3, device=device, generator=g))
    y = torch.rand(B, P, device=device, generator=g)
    fn = torch.compile(call) if compiled else call
    def step():
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=amp):
            out = fn(*x)
            loss = (out['pred'][0].float() - y).abs().mean() + 0.05*out['kl'].float()
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
    for _ in range(2 if compiled else 1): step()
    sync(); t = time.perf_counter()
    for _ in range(steps): step()
    sync()
    return (time.perf_counter() - t)/steps

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--device', default='cpu'); ap.add_argument('--model', choices=('paper', 'small'), default='paper')
    ap.add_argument('--batch', type=int, default=16); ap.add_argument('--points', type=int, default=1000)
    ap.add_argument('--steps', type=int, default=3); ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--modes', default=None, help='comma list of fp32, bf16, bf16+compile (default: fp32 on CPU, all on GPU)')
    ap.add_argument('--json', help='also write the results here')
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    modes = a.modes.split(',') if a.modes else (['fp32'] if dev.type == 'cpu' else ['fp32', 'bf16', 'bf16+compile'])
    torch.manual_seed(0)
    model = CrystalNet(getattr(ModelConfig, a.model)()).to(dev).train()
    print(f"{a.model} model, {sum(p.numel() for p in model.parameters())/1e6:.2f} M parameters; batch {a.batch} crystals × {a.points} points; "
          f"device {torch.cuda.get_device_name(dev) if dev.type == 'cuda' else 'cpu'}, {torch.get_num_threads()} CPU threads; torch {torch.__version__}")
    res = {}
    ref = time_steps(model, lambda *x: per_point_film(model, *x), a.batch, a.points, dev, a.steps, False, False)
    res['reference fp32 (FiLM per point)'] = a.batch/ref
    print(f"reference fp32 (FiLM per point): {a.batch/ref:8.1f} crystals/s ({ref:.3f} s/step)")
    for m in modes:
        s = time_steps(model, lambda *x: model(*x), a.batch, a.points, dev, a.steps, m.startswith('bf16'), m.endswith('compile'))
        res[f'ours {m}'] = a.batch/s
        print(f"ours {m:<13}: {a.batch/s:8.1f} crystals/s ({s:.3f} s/step)")
    print(f"speedup fp32 (ours / reference) = {res['ours fp32']/res['reference fp32 (FiLM per point)']:.2f}" if 'ours fp32' in res else '')
    if a.json:
        with open(a.json, 'w') as f: json.dump(dict(args=vars(a), crystals_per_s=res), f, indent=1)

if __name__ == '__main__': main()
