"""The shared trainer on a tiny regression model (CPU, seconds)."""

import json

import pytest
import torch

from ocrkit import hookimpl
from ocrkit.cli import main
from ocrkit.training import TrainConfig, TrainingError, TrainSpec, fit
from ocrkit.training.checkpoint import load_checkpoint
from ocrkit.training.schedule import lr_at


class Points(torch.utils.data.Dataset):
    """y = 3x − 1 with item i a function of i only."""

    def __len__(self):
        return 32

    def __getitem__(self, i):
        x = torch.tensor([i / 32.0])
        return {"x": x, "y": 3 * x - 1}


def mse_step(model, batch):
    loss = torch.nn.functional.mse_loss(model(batch["x"]), batch["y"])
    return {"loss": loss, "mse": loss.detach()}


class Neg:
    """A toy evaluator: minus the squared error (higher is better)."""

    task = "recognition"

    def reset(self):
        self.err = 0.0

    def update(self, preds, targets):
        self.err += float(sum((p - t) ** 2 for p, t in zip(preds, targets)))

    def compute(self):
        return {"neg_err": -self.err}


def spec(**kw):
    torch.manual_seed(0)
    return TrainSpec(model=torch.nn.Linear(1, 1), train_data=Points(), step=mse_step, **kw)


def test_schedule_warmup_then_cosine():
    lrs = [lr_at(s, base_lr=1.0, warmup_steps=4, max_steps=14, min_ratio=0.1) for s in range(14)]
    assert lrs[:4] == [0.25, 0.5, 0.75, 1.0] and lrs[4] == 1.0
    assert lrs[-1] > 0.1 and all(a >= b for a, b in zip(lrs[4:], lrs[5:]))
    assert lr_at(14, base_lr=1.0, warmup_steps=4, max_steps=14, min_ratio=0.1) == pytest.approx(0.1)


def test_fits_and_checkpoints(tmp_path):
    cfg = TrainConfig(out_dir=str(tmp_path), max_steps=300, batch_size=8, lr=0.1, log_every=50, save_every=100)
    result = fit(spec(), cfg, recipe="toy")
    assert result.last_loss < 1e-3
    state = load_checkpoint(result.checkpoint)
    assert state["step"] == 300 and state["recipe"] == "toy" and state["config"]["lr"] == 0.1
    assert set(state) >= {"model", "optimizer", "rng", "ocrkit_version", "options"}
    log = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert log[-1]["step"] == 300 and "samples_per_s" in log[-1]


def test_resume_continues_identically(tmp_path):
    def cfg(name, **kw):
        return TrainConfig(out_dir=str(tmp_path / name), max_steps=20, batch_size=4, lr=0.05,
                           save_every=10, **kw)  # fmt: skip

    fit(spec(), cfg("a"), recipe="toy")  # uninterrupted
    calls = []

    def crashing_step(model, batch):  # "killed" at step 13, after the step-10 checkpoint
        calls.append(1)
        if len(calls) == 14:
            raise KeyboardInterrupt
        return mse_step(model, batch)

    s = spec()
    s.step = crashing_step
    with pytest.raises(KeyboardInterrupt):
        fit(s, cfg("b"), recipe="toy")
    assert load_checkpoint(tmp_path / "b" / "last.pt")["step"] == 10
    fit(spec(), cfg("b", resume=str(tmp_path / "b" / "last.pt")), recipe="toy")
    a = load_checkpoint(tmp_path / "a" / "last.pt")["model"]
    b = load_checkpoint(tmp_path / "b" / "last.pt")["model"]
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_non_finite_loss_stops(tmp_path):
    def bad_step(model, batch):
        return {"loss": model(batch["x"]).sum() * float("nan")}

    with pytest.raises(TrainingError, match="non-finite loss at step 0"):
        fit(TrainSpec(torch.nn.Linear(1, 1), Points(), bad_step), TrainConfig(out_dir=str(tmp_path)))


def test_periodic_evaluation_keeps_the_best(tmp_path):
    s = spec(val_data=Points(), predict=lambda m, b: m(b["x"]).squeeze(1).tolist(),
             to_targets=lambda b: b["y"].squeeze(1).tolist(), main_metric="toy/neg_err")  # fmt: skip
    cfg = TrainConfig(out_dir=str(tmp_path), max_steps=60, batch_size=8, lr=0.1, eval_every=20)
    result = fit(s, cfg, {"toy": Neg()}, recipe="toy")
    scores = [h["toy/neg_err"] for h in result.history if "toy/neg_err" in h]
    assert len(scores) == 3 and result.best_metric == max(scores)  # evaluated at 20, 40, 60
    assert load_checkpoint(result.best_checkpoint)["best_metric"] == max(scores)


def test_eval_on_start_keeps_the_start_when_training_makes_it_worse(tmp_path):
    def model():  # already the solution y = 3x − 1
        m = spec().model
        with torch.no_grad():
            m.weight.fill_(3.0), m.bias.fill_(-1.0)
        return m

    def away(m, batch):  # a step that moves the model away from it
        return {"loss": ((m(batch["x"]) - batch["y"] - 5.0) ** 2).mean()}

    kw = dict(model=model(), train_data=Points(), step=away, val_data=Points(),
              predict=lambda m, b: m(b["x"]).squeeze(1).tolist(),
              to_targets=lambda b: b["y"].squeeze(1).tolist(), main_metric="toy/neg_err")  # fmt: skip
    cfg = TrainConfig(out_dir=str(tmp_path), max_steps=4, batch_size=8, lr=0.5, eval_every=2,
                      eval_on_start=True)  # fmt: skip
    result = fit(TrainSpec(**kw), cfg, {"toy": Neg()}, recipe="toy")
    steps = [h["step"] for h in result.history if "toy/neg_err" in h]
    assert steps == [0, 2, 4]
    state = load_checkpoint(result.best_checkpoint)
    assert state["step"] == 0 and result.best_metric == pytest.approx(0.0, abs=1e-9)
    assert state["model"]["weight"].item() == 3.0  # best.pt is the untouched start


class ToyRecipe:
    @staticmethod
    @hookimpl
    def ocrkit_register_training(registry):
        def build(*, options, config):
            scale = float(options.get("scale", 1.0))
            s = spec(options={"scale": scale})
            s.model.weight.data *= scale
            return s

        registry.add("toy", build, summary="fits a line")


def test_hook_ocrkit_register_training(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    config = tmp_path / "toy.toml"
    config.write_text(f'max_steps = 5\nbatch_size = 4\nout_dir = "{tmp_path / "run"}"\n[options]\nscale = 2.0\n')
    code = main(["train", "toy", "--config", str(config), "--set", "lr=0.01", "--set", "options.scale=3"],
                plugins=[ToyRecipe()])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["steps"] == 5
    assert json.loads(err.splitlines()[0])["options"] == {"scale": 3.0}
    assert load_checkpoint(tmp_path / "run" / "last.pt")["config"]["lr"] == 0.01


def test_bad_config_keys_fail_clearly(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    code = main(["train", "toy", "--set", "learning_rate=1"], plugins=[ToyRecipe()])
    err = capsys.readouterr().err
    assert code == 2 and "unknown training key 'learning_rate'; valid: amp, batch_size" in err
    bad = tmp_path / "bad.toml"
    bad.write_text("max_steps = [")
    code = main(["train", "toy", "--config", str(bad)], plugins=[ToyRecipe()])
    assert code == 2 and "bad.toml: invalid TOML" in capsys.readouterr().err
    code = main(["train", "toy", "--set", "amp=fp8"], plugins=[ToyRecipe()])
    assert code == 2 and "amp must be none, bf16 or fp16" in capsys.readouterr().err


def test_dataloader_workers_give_the_same_run(tmp_path):
    results = [
        fit(spec(), TrainConfig(out_dir=str(tmp_path / str(w)), max_steps=30, batch_size=4, lr=0.05,
                                num_workers=w), recipe="toy")  # fmt: skip
        for w in (0, 2)
    ]
    a, b = (load_checkpoint(r.checkpoint)["model"] for r in results)
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_time_budget_stops_and_finishes_the_schedule(tmp_path, monkeypatch):
    # A fake clock advancing 1 s per reading: a 0.2-minute budget (12 s) ends the run long before
    # max_steps, with the last checkpoint saved and the learning rate decayed to its floor.
    clock = iter(range(10_000))
    monkeypatch.setattr("ocrkit.training.trainer.time.perf_counter", lambda: float(next(clock)))
    cfg = TrainConfig(out_dir=str(tmp_path), max_steps=10_000, batch_size=4, lr=0.1, max_minutes=0.2,
                      log_every=1000, save_every=1000)  # fmt: skip
    result = fit(spec(), cfg, recipe="toy")
    assert 3 <= result.steps < 12
    assert load_checkpoint(result.checkpoint)["step"] == result.steps
    last = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()][-1]
    assert last["step"] == result.steps and last["lr"] < 0.1 * 0.2


class Planes(torch.utils.data.Dataset):
    """Per-pixel y = 3x − 1 on 2×4×4 planes, for a convolutional toy model."""

    def __len__(self):
        return 32

    def __getitem__(self, i):
        x = torch.full((2, 4, 4), i / 32.0)
        return {"x": x, "y": 3 * x - 1}


def conv_spec(seen: list) -> TrainSpec:
    def step(model, batch):
        # What the forward pass runs as: autocast dtype (or None) and the weight layout.
        on = torch.is_autocast_enabled("cpu")
        seen.append((torch.get_autocast_dtype("cpu") if on else None,
                     model.weight.is_contiguous(memory_format=torch.channels_last)))  # fmt: skip
        return mse_step(model, batch)

    torch.manual_seed(0)
    # 3×3 kernels: a 2×2×3×3 weight has distinct contiguous and channels-last strides.
    return TrainSpec(model=torch.nn.Conv2d(2, 2, 3, padding=1), train_data=Planes(), step=step)


@pytest.mark.parametrize("native", [True, False])
def test_cpu_bf16_amp_follows_the_cpu(tmp_path, monkeypatch, capsys, native):
    # bf16 autocast pays on the CPU only where bf16 is native (AVX-512 BF16/AMX); elsewhere the
    # trainer says so once and trains in fp32. memory_format=auto follows autocast.
    monkeypatch.setattr("ocrkit.precision.cpu_has_native_bf16", lambda: native)
    seen: list = []
    cfg = TrainConfig(out_dir=str(tmp_path), max_steps=40, batch_size=4, lr=0.1, amp="bf16")
    result = fit(conv_spec(seen), cfg, recipe="toy")
    err = capsys.readouterr().err
    assert set(seen) == ({(torch.bfloat16, True)} if native else {(None, False)})
    assert ("amp=bf16 ignored on cpu (no native bf16 on this CPU)" in err) is not native
    fp32 = fit(conv_spec([]), TrainConfig(out_dir=str(tmp_path / "fp32"), max_steps=40, batch_size=4, lr=0.1))
    assert fp32.last_loss < 0.2 and abs(result.last_loss - fp32.last_loss) < 0.01  # bf16 tracks fp32


def test_fp16_amp_and_memory_format_on_cpu(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("ocrkit.precision.cpu_has_native_bf16", lambda: True)
    seen: list = []
    fit(conv_spec(seen), TrainConfig(out_dir=str(tmp_path / "a"), max_steps=2, amp="fp16"), recipe="toy")
    assert "amp=fp16 ignored on cpu (fp16 autocast is a CUDA setting)" in capsys.readouterr().err
    assert set(seen) == {(None, False)}
    seen.clear()
    cfg = TrainConfig(out_dir=str(tmp_path / "b"), max_steps=2, memory_format="channels_last")
    fit(conv_spec(seen), cfg, recipe="toy")
    assert set(seen) == {(None, True)}
    with pytest.raises(ValueError, match="memory_format must be auto, channels_last, contiguous"):
        TrainConfig(memory_format="nhwc")


def test_bf16_channels_last_resume_continues_identically(tmp_path, monkeypatch):
    monkeypatch.setattr("ocrkit.precision.cpu_has_native_bf16", lambda: True)

    def cfg(name, **kw):
        return TrainConfig(out_dir=str(tmp_path / name), max_steps=20, batch_size=4, lr=0.05, amp="bf16",
                           save_every=10, **kw)  # fmt: skip

    fit(conv_spec([]), cfg("a"), recipe="toy")
    calls: list = []
    s = conv_spec(calls)
    inner = s.step

    def crashing_step(model, batch):  # "killed" at step 13, after the step-10 checkpoint
        if len(calls) == 13:
            raise KeyboardInterrupt
        return inner(model, batch)

    s.step = crashing_step
    with pytest.raises(KeyboardInterrupt):
        fit(s, cfg("b"), recipe="toy")
    fit(conv_spec([]), cfg("b", resume=str(tmp_path / "b" / "last.pt")), recipe="toy")
    a = load_checkpoint(tmp_path / "a" / "last.pt")["model"]
    b = load_checkpoint(tmp_path / "b" / "last.pt")["model"]
    for key in a:
        assert torch.equal(a[key], b[key]), key
