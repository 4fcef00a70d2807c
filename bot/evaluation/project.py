"""NLU quality on the project's own data: `python -m bot.evaluation.project` (`make eval`).

Splits data/nlu into a stratified training part and a held-out test part (fixed seed),
trains the pipeline of config.yml on the training part only, then runs `rasa test nlu` on
the held-out part, which writes the intent report and confusion matrix into --out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from ground.envfile import PROJECT_ROOT
from bot.evaluation.intents import save, score, train

MACRO_F1_BAR = 0.90


def _held_out_examples(test_file: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(test_file))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "project")
    parser.add_argument("--training-fraction", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    out: Path = args.out.resolve()
    split = out / "split"
    rasa = str(Path(sys.executable).parent / "rasa")
    subprocess.run([rasa, "data", "split", "nlu", "--nlu", str(PROJECT_ROOT / "data" / "nlu"),
                    "--training-fraction", str(args.training_fraction),
                    "--random-seed", str(args.seed), "--out", str(split)], check=True)
    model, seconds = train(PROJECT_ROOT / "config.yml", split / "training_data.yml",
                           out / "model", "nlu-held-out")
    subprocess.run([rasa, "test", "nlu", "--model", str(model), "--nlu",
                    str(split / "test_data.yml"), "--out", str(out)], check=True)
    scores = score(model, _held_out_examples(split / "test_data.yml"), out_of_scope="out_of_scope")
    scores.train_seconds = seconds
    save(scores, out / "scores.json")
    report = json.loads((out / "intent_report.json").read_text())
    weakest = sorted(scores.per_intent_f1.items(), key=lambda item: item[1])[:5]
    print(f"\nProject NLU, held-out {1 - args.training_fraction:.0%} of data/nlu (seed {args.seed}):")
    print(scores.summary())
    print(f"  rasa test nlu macro-F1 {report['macro avg']['f1-score']:.3f}, "
          f"accuracy {report['accuracy']:.2%} (fallback counted as wrong)")
    print("  weakest intents: " + ", ".join(f"{name} {f1:.2f}" for name, f1 in weakest))
    print(f"  reports: {out}/intent_report.json, {out}/intent_confusion_matrix.png")
    passed = scores.macro_f1 >= MACRO_F1_BAR
    print(f"  bar: macro-F1 >= {MACRO_F1_BAR}: {'met' if passed else 'NOT met'}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
