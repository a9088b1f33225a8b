"""Write docs/notebooks/chapter6_{en,ko}.ipynb from the cells below and execute them.

    python scripts/notebooks.py            # write and execute both (on the bundled sample)
    python scripts/notebooks.py --no-run   # write only

The two notebooks have the same code; their text is English or Korean (the textbook's
terms).  They are executed with ``RNNFAST_NOTEBOOK_DATA=sample`` so that the committed
outputs are those CI reproduces (tests/test_notebooks.py).  Needs nbformat and nbclient.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "notebooks"

INSTALL = """\
# In Colab (or any fresh Python), install rnnfast from its repository first.
# OWNER is a placeholder: put the repository's owner (or the URL of your clone) there.
# !pip install "rnnfast[keras,bench,experiments] @ git+https://github.com/OWNER/rnnfast"
import rnnfast

print(rnnfast.__version__)"""

DATA = """\
import os
from pathlib import Path

from rnnfast.datasets import imdb
from rnnfast.preprocessing import to_categorical

# The full IMDB file where there is one ($RNNFAST_IMDB, ./imdb.npz, the clone's
# ../shared/data), else the sample bundled with rnnfast (4,000 + 1,000 reviews).
# RNNFAST_NOTEBOOK_DATA=sample forces the sample (CI does: the outputs below are the sample's).
candidates = [os.environ.get("RNNFAST_IMDB", ""), "imdb.npz", "../../../shared/data/imdb.npz"]
FULL = next((p for p in candidates if p and Path(p).is_file()), None)
if os.environ.get("RNNFAST_NOTEBOOK_DATA") == "sample":
    FULL = None
if FULL:
    x_train_seq, y_train, x_val_seq, y_val = imdb.load_textbook(path=FULL)
    index_file = Path(FULL).with_name("imdb_word_index.json")
    word_index = imdb.get_word_index(path=index_file if index_file.is_file() else None)
else:
    x_train_seq, y_train, x_val_seq, y_val = imdb.load_textbook(source="sample")
    word_index = imdb.get_word_index(source="sample")
print("data:", FULL or "the bundled sample")
print(x_train_seq.shape, x_val_seq.shape)
print(imdb.decode_review(x_train_seq[0], word_index))"""

ONEHOT = """\
x_train_onehot = to_categorical(x_train_seq)  # (m, 100, 100) float32, as the source
x_val_onehot = to_categorical(x_val_seq)
print(x_train_onehot.shape, x_train_onehot.nbytes)"""

TRAIN = """\
from rnnfast import RecurrentNetwork
from rnnfast.callbacks import LivePlot

rn = RecurrentNetwork(n_cells=32, batch_size=32, learning_rate=0.01, seed=0, callbacks=[LivePlot()])
rn.fit(x_train_onehot, y_train, epochs=20, x_val=x_val_onehot, y_val=y_val)
rn.callbacks = []  # the live plot's job is done"""

SHOW = """\
from rnnfast import plots

print(plots.network_text(rn))
rn.summary()"""

SOURCE_PLOT = """\
import matplotlib.pyplot as plt

plt.plot(rn.losses)
plt.plot(rn.val_losses)
plt.ylabel("loss")
plt.xlabel("epoch")
plt.legend(["train_loss", "val_loss"])
plt.show()"""

HISTORY = "plots.history(rn)"

SCORE = "rn.score(x_val_onehot, y_val)  # the full file: about 0.70 (source: 0.7002)"

KERAS_S2 = """\
import keras

from rnnfast.keras import build_s2, build_s3

keras.utils.set_random_seed(0)  # the same Keras weights and shuffles at every run

KERAS_EPOCHS = 20 if FULL else 3  # the sample: a few epochs, to stay under two minutes
s2 = build_s2()  # SimpleRNN(32, input_shape=(100, 100)) + Dense(1, 'sigmoid'), sgd
s2.summary()
h2 = s2.fit(
    x_train_onehot,
    y_train,
    epochs=KERAS_EPOCHS,
    batch_size=32,
    validation_data=(x_val_onehot, y_val),
    verbose=2,
)
print("S2 validation accuracy:", round(h2.history["val_accuracy"][-1], 4))"""

KERAS_S3 = """\
if FULL:
    x3, y3, x3_val, y3_val = imdb.load_textbook(num_words=1000, path=FULL)
else:
    x3, y3, x3_val, y3_val = imdb.load_textbook(num_words=1000, source="sample")
s3 = build_s3()  # Embedding(1000, 32) + SimpleRNN(8) + Dense(1, 'sigmoid'), adam
h3 = s3.fit(x3, y3, epochs=10, batch_size=32, validation_data=(x3_val, y3_val), verbose=2)
print("S3 (Keras) validation accuracy:", round(h3.history["val_accuracy"][-1], 4))

# the same model in rnnfast (an embedding layer, Adam, full BPTT as Keras), three seeds:
# on the small sample one start can stay near chance where another reaches 0.75
for seed in range(3):
    rn3 = RecurrentNetwork(
        8, 32, 0.001, optimizer="adam", embedding_dim=32, bptt_steps=None, seed=seed
    )
    rn3.fit(x3, y3, epochs=10, x_val=x3_val, y_val=y3_val, n_features=1000)
    print(f"S3 (rnnfast, seed {seed}) validation accuracy:", round(rn3.score(x3_val, y3_val), 4))"""

AGREE = """\
from rnnfast import diagnostics

xb, yb = x_val_onehot[:32], y_val[:32]  # a fixed batch of 32 validation reviews
agreement = diagnostics.rule_agreement(rn, xb, yb)
agreement"""

AGREE_PLOT = "agreement.plot()"

CHECK = """\
exact = diagnostics.gradient_check(rn, xb, yb, bptt_steps="full")
book = diagnostics.gradient_check(rn, xb, yb, backprop="textbook", bptt_steps="full")
print(exact)
plots.gradient_check(exact, book)"""

FACTORS = """\
factors = diagnostics.jacobian_factors(rn, xb)
factors"""

FACTORS_PLOT = "factors.plot()"

NORMS = "plots.grad_norms(rn)"
HEATMAP = 'plots.grad_norms(rn, kind="heatmap")'

SALIENCY = """\
words = imdb.decode_review(x_val_seq[0], word_index)
wall = plots.saliency(rn, x_val_onehot[0], words)
wall  # the words before T - k are grey: no gradient reaches them"""

SALIENCY_PLOT = "wall.plot()"

HIDDEN = "plots.hidden_states(rn, x_val_onehot[0], words, label=y_val[0])"

SWEEP = """\
from rnnfast.experiments import sweep

s = sweep(
    RecurrentNetwork(n_cells=32, batch_size=32, learning_rate=0.01),
    {"backprop": ["exact", "textbook"], "bptt_steps": [10, None]},  # None: full BPTT
    x_train_seq,
    y_train,
    seeds=range(3),
    epochs=5,
    validation_data=(x_val_seq, y_val),
    n_features=100,
    progress=False,
)
s.summary()"""

SWEEP_COMPARE = 's.compare("backprop", "exact", "textbook")'
SWEEP_PLOT = "s.plot().figure"

TEXT = {
    "en": {
        "title": (
            "# Chapter 6 in rnnfast: a recurrent network, its gradients, and why they vanish\n\n"
            "The chapter's sections 6.3 (a `RecurrentNetwork` in NumPy that classifies IMDB "
            "reviews) and 6.4 (the same with Keras), run with rnnfast, then the two lessons of "
            "the BPTT lab and a small sweep over seeds. On the sample bundled with rnnfast the "
            "whole notebook runs in under two minutes; with the full `imdb.npz` the numbers are "
            "the source's (0.70 for the source's network)."
        ),
        "install": (
            "Colab: uncomment the `pip install` line (and put the repository's owner for OWNER)."
        ),
        "s63": (
            "## 6.3 The recurrent network\n\n"
            "The source's data: `imdb.load_data(skip_top=20, num_words=100)`, every id 2 "
            "dropped, the 20,000 / 5,000 split from `np.random.seed(42)`, "
            "`pad_sequences(maxlen=100)`, in one call. Each review is 100 **time steps**, "
            "one word each."
        ),
        "onehot": "The source feeds one-hot vectors: 100 features per time step.",
        "train": (
            "32 **cells**, batch 32, learning rate 0.01, 20 **epochs**, as the source. "
            "`LivePlot` redraws the losses and accuracies while `fit` runs (in a terminal it "
            "prints one line per epoch)."
        ),
        "show": "The network, its **weights** and their shapes (Keras' `summary()` too):",
        "source_plot": "The source's plot, as it is written there, and the same from rnnfast:",
        "score": (
            "The score on the validation reviews (on the full file about 0.70; the sample's "
            "4,000 reviews teach less)."
        ),
        "s64": (
            "## 6.4 The same with Keras\n\n"
            "S2: `SimpleRNN(32)` on the one-hot input (4,289 parameters, the same network). "
            "S3: an `Embedding(1000, 32)` layer before `SimpleRNN(8)` (32,337 parameters), "
            "trained with Adam; rnnfast trains the same model."
        ),
        "s3": "S3 reads the 1,000 most frequent words as token ids:",
        "lesson1": (
            "## Lesson 1: the missing transpose\n\n"
            "The source propagates the error one **time step** back with `err_to_cell @ w1h`; "
            "since `z1 = x W1x + h_prev W1h + b1` the true **gradient** needs `w1h.T`. The two "
            "rules' gradients have nearly the same size but point elsewhere: their cosine per "
            "weight (w2 and b2 do not depend on the rule: 1). The asymmetry of w1h is why."
        ),
        "check": (
            "Which one is the gradient? Central differences of the loss decide: the exact rule "
            "agrees to about 1e-9, the source's rule does not."
        ),
        "lesson2": (
            "## Lesson 2: why gradients vanish, and what truncation cuts\n\n"
            "**Backpropagation** through time multiplies the error at each step back by `w1h.T` "
            "and by `1 - h^2`. The measured factor per step stays under the bound "
            "`sigma_max(w1h) max(1 - h^2)` (Pascanu, Mikolov & Bengio 2013); below 1 the error "
            "shrinks step after step."
        ),
        "norms": (
            "The network records the gradient norm at every step back of its BPTT window "
            "(`bptt_steps=10`) per epoch: lines, and the same as a heatmap."
        ),
        "saliency": (
            "Truncation is a wall, not a fade: with `bptt_steps=10` the words before the last 10 "
            "get exactly zero gradient, although the forward pass read them. In Jupyter the "
            "review shows as coloured words; `.plot()` draws it as a figure."
        ),
        "hidden": "The **hidden states** of that review, one row per word:",
        "sweep": (
            "## Many runs: is the difference real?\n\n"
            "One run per setting settles nothing: seeds differ. `sweep` runs each setting for "
            "several seeds (on every core) and compares them paired by seed. A small one here "
            "(the README's table has 10 seeds of 20 epochs on the full file)."
        ),
        "end": (
            "The whole API: docs/API.md. The same pictures live in the desktop app "
            "(`python -m gui`, `python -m gui.lab`), computed by the same functions."
        ),
    },
    "ko": {
        "title": (
            "# rnnfast로 보는 6장: 순환 신경망, 그래디언트, 그리고 그래디언트 소실\n\n"
            "6.3절(IMDB 리뷰를 분류하는 넘파이 `RecurrentNetwork`)과 6.4절(케라스로 같은 모델)을 "
            "rnnfast로 실행하고, 이어서 BPTT 실험실의 두 가지 교훈과 여러 시드에 걸친 작은 "
            "실험을 봅니다. rnnfast에 들어 있는 샘플로는 노트북 전체가 2분 안에 실행되고, "
            "전체 `imdb.npz`로는 원서의 숫자(원서의 신경망은 0.70)가 나옵니다."
        ),
        "install": "코랩: `pip install` 줄의 주석을 풀고 OWNER를 저장소 소유자로 바꾸세요.",
        "s63": (
            "## 6.3 순환 신경망 구현\n\n"
            "원서의 데이터: `imdb.load_data(skip_top=20, num_words=100)`, 모든 2(어휘 사전에 "
            "없는 단어) 제거, `np.random.seed(42)`로 나눈 20,000 / 5,000 훈련 세트와 검증 세트, "
            "`pad_sequences(maxlen=100)`를 한 번에 합니다. 리뷰마다 100개의 **타임 스텝**, "
            "스텝마다 단어 하나입니다."
        ),
        "onehot": "원서는 원-핫 벡터를 넣습니다: 타임 스텝마다 특성 100개.",
        "train": (
            "원서처럼 **셀** 32개, 배치 크기 32, 학습률 0.01, **에포크** 20번. `LivePlot`은 "
            "`fit`이 도는 동안 손실과 정확도 그래프를 다시 그립니다(터미널에서는 에포크마다 "
            "한 줄을 출력합니다)."
        ),
        "show": "신경망과 그 **가중치**의 크기(케라스의 `summary()`도):",
        "source_plot": "원서에 쓰인 그대로의 그래프, 그리고 rnnfast로 그린 같은 그래프:",
        "score": (
            "검증 세트의 정확도(전체 파일에서는 약 0.70, 리뷰 4,000개의 샘플로는 덜 배웁니다):"
        ),
        "s64": (
            "## 6.4 케라스를 이용한 순환 신경망 구현\n\n"
            "S2: 원-핫 입력의 `SimpleRNN(32)`(모델 파라미터 4,289개, 같은 신경망). "
            "S3: `SimpleRNN(8)` 앞의 `Embedding(1000, 32)` 층(파라미터 32,337개), Adam으로 "
            "훈련합니다. rnnfast도 같은 모델을 훈련합니다."
        ),
        "s3": "S3는 가장 자주 나오는 단어 1,000개를 토큰 id로 읽습니다:",
        "lesson1": (
            "## 교훈 1: 빠진 전치\n\n"
            "원서는 오차를 `err_to_cell @ w1h`로 한 **타임 스텝** 거슬러 보냅니다. "
            "`z1 = x W1x + h_prev W1h + b1`이므로 올바른 **그래디언트**에는 `w1h.T`가 필요합니다. "
            "두 규칙의 그래디언트는 크기는 거의 같지만 방향이 다릅니다: 가중치마다의 코사인"
            "(w2와 b2는 규칙과 무관: 1). w1h의 비대칭이 그 이유입니다."
        ),
        "check": (
            "어느 쪽이 그래디언트일까요? 손실의 중앙 차분이 답합니다: 정확한 규칙은 약 1e-9까지 "
            "일치하고, 원서의 규칙은 그렇지 않습니다."
        ),
        "lesson2": (
            "## 교훈 2: 그래디언트는 왜 소실되고, 절단은 무엇을 자르는가\n\n"
            "시간을 거슬러 **역전파**할 때 오차는 스텝마다 `w1h.T`와 `1 - h^2`가 곱해집니다. "
            "측정한 스텝당 배율은 한계 `sigma_max(w1h) max(1 - h^2)`(Pascanu, Mikolov & "
            "Bengio 2013)를 넘지 않고, 1보다 작으면 오차는 스텝마다 줄어듭니다."
        ),
        "norms": (
            "신경망은 에포크마다 BPTT 구간(`bptt_steps=10`)의 거슬러 간 스텝마다 그래디언트 "
            "노름을 기록합니다: 선 그래프, 그리고 같은 값을 히트맵으로."
        ),
        "saliency": (
            "절단은 서서히 흐려지는 것이 아니라 벽입니다: `bptt_steps=10`이면 마지막 10개 이전의 "
            "단어는 정방향 계산이 읽었는데도 그래디언트를 전혀 받지 못합니다. 주피터에서는 리뷰가 "
            "색칠된 단어로 보이고, `.plot()`은 그림으로 그립니다."
        ),
        "hidden": "그 리뷰의 **은닉 상태**, 단어마다 한 행:",
        "sweep": (
            "## 여러 번 실행: 차이는 진짜일까?\n\n"
            "설정마다 한 번 실행해서는 아무것도 정할 수 없습니다: 시드마다 결과가 다릅니다. "
            "`sweep`은 설정마다 여러 시드로(모든 코어에서) 실행하고 시드끼리 짝지어 비교합니다. "
            "여기서는 작게 합니다(README의 표는 전체 파일에서 시드 10개, 에포크 20번)."
        ),
        "end": (
            "전체 API: docs/API.md. 같은 그림을 데스크톱 앱(`python -m gui`, "
            "`python -m gui.lab`)에서도 같은 함수로 계산해 보여 줍니다."
        ),
    },
}

#: (kind, content): "md" -> a key of TEXT[lang], "code" -> the source
CELLS = [
    ("md", "title"),
    ("md", "install"),
    ("code", INSTALL),
    ("md", "s63"),
    ("code", DATA),
    ("md", "onehot"),
    ("code", ONEHOT),
    ("md", "train"),
    ("code", TRAIN),
    ("md", "show"),
    ("code", SHOW),
    ("md", "source_plot"),
    ("code", SOURCE_PLOT),
    ("code", HISTORY),
    ("md", "score"),
    ("code", SCORE),
    ("md", "s64"),
    ("code", KERAS_S2),
    ("md", "s3"),
    ("code", KERAS_S3),
    ("md", "lesson1"),
    ("code", AGREE),
    ("code", AGREE_PLOT),
    ("md", "check"),
    ("code", CHECK),
    ("md", "lesson2"),
    ("code", FACTORS),
    ("code", FACTORS_PLOT),
    ("md", "norms"),
    ("code", NORMS),
    ("code", HEATMAP),
    ("md", "saliency"),
    ("code", SALIENCY),
    ("code", SALIENCY_PLOT),
    ("md", "hidden"),
    ("code", HIDDEN),
    ("md", "sweep"),
    ("code", SWEEP),
    ("code", SWEEP_COMPARE),
    ("code", SWEEP_PLOT),
    ("md", "end"),
]


def build(lang):
    """The notebook of one language (nbformat v4), without outputs."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for kind, content in CELLS:
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(TEXT[lang][content]))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(content))
    return nb


def execute(nb, timeout=600):
    """Run every cell in a fresh kernel on the bundled sample (in place); returns nb."""
    from nbclient import NotebookClient

    os.environ["RNNFAST_NOTEBOOK_DATA"] = "sample"
    # the kernel imports this clone's rnnfast (also when another copy is installed)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    NotebookClient(
        nb,
        # the kernel's own stderr (TensorFlow's C++ start-up log) stays out of the cells
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(OUT)}},
    ).execute()
    return nb


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--no-run", action="store_true", help="write the notebooks without running")
    p.add_argument("--lang", choices=sorted(TEXT), action="append", help="only this language")
    args = p.parse_args(argv)
    import nbformat

    OUT.mkdir(parents=True, exist_ok=True)
    for lang in args.lang or sorted(TEXT):
        nb = build(lang)
        if not args.no_run:
            execute(nb)
        path = OUT / f"chapter6_{lang}.ipynb"
        nbformat.write(nb, path)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
