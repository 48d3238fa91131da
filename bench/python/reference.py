"""The PyTorch-Python and OpenCV-Python side of the benchmark (bench/README.md).

Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision, python3-opencv, python3-numpy); the
orchestrator (bench/XRay.Bench) starts one process per case, so imports and memory never carry over between cases.
Each case prints one JSON object on its last stdout line. Every case mirrors a C# case in bench/XRay.Bench/Cases:
same files, shapes, thread count and timing rule (median images/s over timed intervals after a warm-up).
"""
import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def median_rate(intervals):
    return statistics.median(intervals) if intervals else 0.0


def list_images(folder):
    exts = (".jpg", ".jpeg", ".png")
    out = []
    for root, _, files in os.walk(folder):
        out += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(exts)]
    return sorted(out)


# ---------------------------------------------------------------- decode + resize (OpenCV-Python)
def case_decode(a):
    import cv2
    import numpy as np

    # OpenCV's own thread pool would parallelise cv2.resize inside one image; the comparison is per-image work
    # spread over `threads` workers on both sides, so OpenCV runs single-threaded in each worker (as ours does).
    cv2.setNumThreads(1)
    blobs = [np.frombuffer(open(p, "rb").read(), np.uint8) for p in list_images(a.dir)]
    size = (a.size, a.size)

    def gray(buf):
        img = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
        return cv2.resize(img, size, interpolation=cv2.INTER_AREA)

    def rgb(buf):
        img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        # A careful user converts after shrinking: the same RGB pixels, fewer to convert.
        return cv2.cvtColor(cv2.resize(img, size, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB)

    result = {"images": len(blobs), "threads": a.threads}
    with ThreadPoolExecutor(a.threads) as pool:  # cv2 releases the GIL while decoding and resizing
        for name, fn in (("gray", gray), ("rgb", rgb)):
            for _ in pool.map(fn, blobs[: max(1, len(blobs) // 4)]):  # warm-up
                pass
            rates = []
            for _ in range(a.repeats):
                t = time.perf_counter()
                for _ in pool.map(fn, blobs):
                    pass
                rates.append(len(blobs) / (time.perf_counter() - t))
            result[name] = {"images_per_s": median_rate(rates), "intervals": rates}
    return result


# ---------------------------------------------------------------- seed 002's CNN (PyTorch-Python)
def blog_cnn(channels, size):
    import torch.nn as nn

    def after_block(n):
        return (n - 2) // 2

    side = after_block(after_block(after_block(size)))
    # Seed 002's network, as lib/XRay/Models/BlogCnn.cs builds it: 3 x [conv 32 3x3, ReLU (in place), max-pool 2] with dropout
    # after blocks 2 and 3, then flatten, dropout, dense 128 ReLU, one sigmoid unit (2 classes).
    return nn.Sequential(
        nn.Conv2d(channels, 32, 3), nn.ReLU(inplace=True), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3), nn.ReLU(inplace=True), nn.MaxPool2d(2), nn.Dropout(0.2),
        nn.Conv2d(32, 32, 3), nn.ReLU(inplace=True), nn.MaxPool2d(2), nn.Dropout(0.2),
        nn.Flatten(), nn.Dropout(0.2),
        nn.Linear(32 * side * side, 128), nn.ReLU(inplace=True),
        nn.Linear(128, 1))


def setup_torch(a):
    import torch

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    return torch


class Step:
    """One training step as XRay.Training.Trainer does it: loss, zero_grad (in place), backward, Adam step, and the
    epoch's loss/accuracy sums kept on the device (no sync per step)."""

    def __init__(self, torch, model, channels_last, precision="fp32", lr=1e-3):
        import torch.nn.functional as F

        self.torch, self.F, self.model, self.channels_last = torch, F, model, channels_last
        self.opt = torch.optim.Adam(model.parameters(), lr=lr)
        device = next(model.parameters()).device
        self.loss_sum = torch.zeros((), dtype=torch.float64, device=device)
        # --precision bf16/fp16: what PyTorch users write, torch.autocast around the forward and the loss.
        self.autocast = None if precision == "fp32" else (device.type, {"bf16": torch.bfloat16, "fp16": torch.float16}[precision])
        # fp16 scales the loss, as ours does (XRay.Training.GradScaler, PyTorch's defaults); bf16 needs no scaling.
        self.scaler = torch.cuda.amp.GradScaler() if precision == "fp16" else None
        self.correct = torch.zeros((), dtype=torch.float64, device=device)

    def forward(self, x, y, autocast=True):
        """Logits (fp32, flat) and the mean loss, the forward under autocast when asked and autocast is True (training;
        validation passes False, as our Trainer validates in fp32)."""
        torch = self.torch
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        if self.autocast is None or not autocast:
            logits = self.model(x)
        else:
            with torch.autocast(self.autocast[0], dtype=self.autocast[1]):
                logits = self.model(x)
        flat = logits.reshape(-1).float()
        return flat, self.F.binary_cross_entropy_with_logits(flat, y.to(flat.dtype), reduction="none").mean()

    def __call__(self, x, y):
        torch = self.torch
        flat, loss = self.forward(x, y)
        self.opt.zero_grad(set_to_none=False)
        if self.scaler is None:
            loss.backward()
            self.opt.step()
        else:
            self.scaler.scale(loss).backward()
            self.scaler.step(self.opt)
            self.scaler.update()
        with torch.no_grad():
            self.loss_sum.add_(loss.detach().double() * x.shape[0])
            self.correct.add_((flat > 0).long().eq(y).sum().double())


def minor_faults():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def timed_intervals(fn, warmup, intervals, steps, batch, sync=None):
    """Images/s per interval, and minor page faults per timed step (fresh memory mapped in). On a GPU, sync waits for
    the kernels each step queued, as the C# side's StepClock does."""
    if sync is not None:
        step = fn

        def fn():
            step()
            sync()
    for _ in range(warmup):
        fn()
    rates = []
    faults = minor_faults()
    for _ in range(intervals):
        t = time.perf_counter()
        for _ in range(steps):
            fn()
        rates.append(steps * batch / (time.perf_counter() - t))
    return rates, (minor_faults() - faults) / max(1, intervals * steps)


def model_for(torch, a, channels_last):
    model = blog_cnn(a.channels, a.size).to(a.device)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    return model


def device_sync(torch, a):
    """What each timed step waits for: nothing on the CPU, the queued kernels on a GPU."""
    return torch.cuda.synchronize if a.device.startswith("cuda") else None


def case_train(a):
    torch = setup_torch(a)
    x = torch.rand(a.batch, a.channels, a.size, a.size, device=a.device)
    y = torch.randint(0, 2, (a.batch,), device=a.device)
    result = {"threads": torch.get_num_threads(), "channels": a.channels, "size": a.size, "batch": a.batch,
              "device": a.device, "precision": a.precision,
              # glibc reads these at start: the like-for-like rows give it our allocator settings this way.
              "malloc_environment": {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")}}
    # Both memory formats, in one process: the benchmark compares against PyTorch-Python's better one.
    for fmt in a.formats.split(","):
        cl = fmt == "channels_last"
        model = model_for(torch, a, cl)
        model.train()
        step = Step(torch, model, cl, a.precision)
        rates, faults = timed_intervals(lambda: step(x, y), a.warmup, a.intervals, a.steps, a.batch, device_sync(torch, a))
        float(step.loss_sum)  # the one sync, as Trainer's epoch end
        result[fmt] = {"images_per_s": median_rate(rates), "intervals": rates, "page_faults_per_step": faults}
    return result


def case_infer(a):
    torch = setup_torch(a)
    x = torch.rand(a.batch, a.channels, a.size, a.size, device=a.device)
    result = {"threads": torch.get_num_threads(), "channels": a.channels, "size": a.size, "batch": a.batch,
              "device": a.device}
    for fmt in a.formats.split(","):
        cl = fmt == "channels_last"
        model = model_for(torch, a, cl)
        model.eval()
        with torch.inference_mode():
            def forward():
                xb = x.contiguous(memory_format=torch.channels_last) if cl else x
                model(xb).sigmoid()
            rates, _ = timed_intervals(forward, a.warmup, a.intervals, a.steps, a.batch, device_sync(torch, a))
        result[fmt] = {"images_per_s": median_rate(rates), "intervals": rates}
    return result


def case_profile(a):
    """Where a training step's time goes, per libtorch op (the same ops our Trainer calls): bench/README.md."""
    torch = setup_torch(a)
    x = torch.rand(a.batch, a.channels, a.size, a.size)
    y = torch.randint(0, 2, (a.batch,))
    cl = a.formats == "channels_last"
    model = model_for(torch, a, cl)
    model.train()
    step = Step(torch, model, cl)
    for _ in range(a.warmup):
        step(x, y)
    with torch.autograd.profiler.profile() as prof:
        for _ in range(a.steps):
            step(x, y)
    # PyTorch 1.13's profiler derives an op's self time as its span minus its children's, and with backward ops
    # timed across threads that difference can come out below zero (autograd::engine::evaluate_function and
    # aten::convolution often do by tens of microseconds). A negative duration is a measuring artifact: count such
    # ops as zero, say how many there were, and keep the shares summing to at most 1.
    ops = prof.key_averages()
    self_us = {e.key: max(0, e.self_cpu_time_total) for e in ops}
    total = sum(self_us.values())
    top = sorted(ops, key=lambda e: -self_us[e.key])[:15]
    return {"format": a.formats, "steps": a.steps, "ms_per_step": total / 1000 / a.steps,
            "negative_self_times_zeroed": sum(1 for e in ops if e.self_cpu_time_total < 0),
            "ops": [{"op": e.key, "share": self_us[e.key] / total, "ms_per_step": self_us[e.key] / 1000 / a.steps}
                    for e in top]}


# ---------------------------------------------------------------- end-to-end epochs (torchvision + DataLoader)
def folder_loader(a, split, shuffle, augment=()):
    """One split folder (CLASS/*.jpg) as our loader reads it: gray (1 channel) or RGB (3), resized to size², the
    transforms in augment, then scaled to [0, 1] (ToTensor). Returns the dataset and its DataLoader."""
    import torchvision.transforms as T
    from torch.utils.data import DataLoader
    from torchvision.datasets import ImageFolder

    transform = T.Compose([
        T.Grayscale(num_output_channels=1) if a.channels == 1 else T.Lambda(lambda im: im.convert("RGB")),
        T.Resize((a.size, a.size)),
        *augment,
        T.ToTensor(),
    ])
    dataset = ImageFolder(os.path.join(a.dir, split), transform=transform)
    # persistent_workers: the workers are not restarted every epoch, the reference's best case.
    return dataset, DataLoader(dataset, batch_size=a.batch, shuffle=shuffle, num_workers=a.workers,
                               persistent_workers=a.workers > 0)


def case_epochs(a):
    torch = setup_torch(a)
    import torchvision.transforms as T

    start = time.perf_counter()
    cl = a.formats == "channels_last"
    # The same augmentation as the C# side's KerasAugmentation (seed 002's zoom_range=0.2 and vertical flip), after
    # resizing, as Keras' ImageDataGenerator and our loader do it.
    dataset, loader = folder_loader(a, "train", shuffle=True,
                                    augment=(T.RandomAffine(degrees=0, scale=(0.8, 1.2)), T.RandomVerticalFlip()))
    model = model_for(torch, a, cl)
    model.train()
    step = Step(torch, model, cl, a.precision)
    epochs = []
    for _ in range(a.epochs):
        for x, y in loader:
            step(x, y)
        float(step.loss_sum)
        now = time.perf_counter()
        epochs.append(now - start)
        start = now
    return {"threads": torch.get_num_threads(), "workers": a.workers, "images": len(dataset), "format": a.formats,
            "precision": a.precision, "epoch_seconds": epochs}


# ---------------------------------------------------------------- accuracy after a short run, fp32 or bf16 autocast
def case_accuracy(a):
    """AccuracyCase.cs's run: seed 002's CNN, Adam, the folder's train/ and val/ (no augmentation), validated after
    every epoch in eval mode in fp32 whatever the training precision, as our Trainer.Fit does."""
    if a.precision not in ("fp32", "bf16"):
        sys.exit(f"accuracy: --precision {a.precision}: the case compares fp32 and bf16 (the CPU's autocast types), as ours does")
    torch = setup_torch(a)  # seeds the initial weights and the shuffling: the same for fp32 and bf16
    start = time.perf_counter()
    cl = a.formats == "channels_last"
    train, train_loader = folder_loader(a, "train", shuffle=True)
    val, val_loader = folder_loader(a, "val", shuffle=False)
    model = model_for(torch, a, cl)
    step = Step(torch, model, cl, a.precision, lr=a.lr)
    epochs = []
    for epoch in range(a.epochs):
        epoch_start = time.perf_counter()
        model.train()
        loss_before, correct_before = float(step.loss_sum), float(step.correct)
        for x, y in train_loader:
            step(x, y)
        train_loss = (float(step.loss_sum) - loss_before) / len(train)
        train_accuracy = (float(step.correct) - correct_before) / len(train)
        model.eval()
        val_loss, val_correct = 0.0, 0
        with torch.inference_mode():
            for x, y in val_loader:
                flat, loss = step.forward(x, y, autocast=False)
                val_loss += float(loss) * x.shape[0]
                val_correct += int((flat > 0).long().eq(y).sum())
        epochs.append({"epoch": epoch + 1, "seconds": time.perf_counter() - epoch_start, "loss": train_loss,
                       "accuracy": train_accuracy, "val_loss": val_loss / len(val), "val_accuracy": val_correct / len(val)})
    return {"precision": a.precision, "threads": torch.get_num_threads(), "workers": a.workers, "format": a.formats,
            "size": a.size, "channels": a.channels, "batch": a.batch, "lr": a.lr, "seed": a.seed,
            "train_images": len(train), "val_images": len(val), "val_accuracy": epochs[-1]["val_accuracy"],
            "val_loss": epochs[-1]["val_loss"], "train_seconds": time.perf_counter() - start, "epochs": epochs}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("case", choices=["decode", "train", "infer", "epochs", "profile", "accuracy"])
    p.add_argument("--dir")
    p.add_argument("--size", type=int, default=150)
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--workers", type=int, default=os.cpu_count())
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--intervals", type=int, default=5)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--formats", default="nchw,channels_last")
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"],
                   help="train, accuracy: torch.autocast around forward and loss")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate (accuracy; the other cases use 1e-3)")
    p.add_argument("--seed", type=int, default=0, help="torch.manual_seed: initial weights, shuffling, dropout")
    p.add_argument("--device", default="cpu", help="cpu, or cuda[:N] for the train and infer cases")
    a = p.parse_args(argv)
    result = {"decode": case_decode, "train": case_train, "infer": case_infer, "epochs": case_epochs,
              "profile": case_profile, "accuracy": case_accuracy}[a.case](a)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
