"""The source's ``RecurrentNetwork`` (section 6.3) in plain NumPy: the oracle and the baseline.

This is the textbook's class kept as close to its code as possible (same method names, same
loops over ``np.swapaxes(x, 0, 1)``, same list of hidden states ``self.h``), with four
additions that the tests and the benchmarks need:

* ``backprop_rule``: ``"exact"`` propagates ``err_to_cell @ w1h.T`` (the true gradient);
  ``"textbook"`` keeps the source's ``err_to_cell @ w1h`` (the missing transpose, see README).
* ``bptt_steps``: the source's hard-coded 10 (``[:10]``); ``None`` means full BPTT.
* token ids ``(m, T)`` as input besides dense ``(m, T, n_features)``: ``x_t @ w1x`` becomes the
  row gather ``w1x[x_t]`` and its gradient the scatter-add ``np.add.at``.
* ``grad_norms``: ``||dL/dz1_t||_F`` (of the batch-mean loss) at each visited step, j = 0 the
  last step; weights come from NumPy (:mod:`rnnfast.initializers`), not TensorFlow.

It validates nothing: use :class:`rnnfast.RecurrentNetwork` for real work.
"""

import numpy as np

from .initializers import init_params


class NumpyRecurrentNetwork:
    """The source's class.  ``fit(x, y, epochs, x_val, y_val)`` as the book."""

    def __init__(
        self,
        n_cells=10,
        batch_size=32,
        learning_rate=0.1,
        *,
        bptt_steps=10,
        backprop_rule="exact",
        seed=42,
    ):
        self.n_cells = n_cells  # 셀 개수 (number of cells)
        self.batch_size = batch_size  # 배치 크기 (batch size)
        self.w1h = None  # 은닉 상태에 대한 가중치 (hidden-state weights)
        self.w1x = None  # 입력에 대한 가중치 (input weights)
        self.b1 = None  # 순환층의 절편 (recurrent bias)
        self.w2 = None  # 출력층의 가중치 (output weights)
        self.b2 = None  # 출력층의 절편 (output bias)
        self.h = None  # 순환층의 활성화 출력 (hidden states)
        self.losses = []  # 훈련 손실
        self.val_losses = []  # 검증 손실
        self.lr = learning_rate  # 학습률
        self.bptt_steps = bptt_steps
        self.backprop_rule = backprop_rule
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.grad_norms = None

    def init_weights(self, n_features, n_classes):
        params = init_params(self.rng, n_features, self.n_cells, n_classes)
        self.w1h, self.w1x, self.b1 = params["w1h"], params["w1x"], params["b1"]
        self.w2, self.b2 = params["w2"], params["b2"]

    def input_product(self, x):
        """``x_t @ w1x`` for dense x_t (m, n_features), or the row gather for ids (m,)."""
        if x.ndim == 1:
            return self.w1x[x]
        return np.dot(x, self.w1x)

    def forpass(self, x):
        self.h = [np.zeros((x.shape[0], self.n_cells))]  # 은닉 상태를 초기화합니다.
        # 배치 차원과 타임 스텝 차원을 바꿉니다.
        seq = np.swapaxes(x, 0, 1)
        # 순환 층의 선형 식을 계산합니다.
        for x in seq:
            z1 = self.input_product(x) + np.dot(self.h[-1], self.w1h) + self.b1
            h = np.tanh(z1)  # 활성화 함수를 적용합니다.
            self.h.append(h)  # 역전파를 위해 은닉 상태 저장합니다.
            z2 = np.dot(h, self.w2) + self.b2  # 출력층의 선형 식을 계산합니다.
        return z2

    def backprop(self, x, err):
        m = len(x)  # 샘플 개수
        # 출력층의 가중치와 절편에 대한 그래디언트를 계산합니다.
        w2_grad = np.dot(self.h[-1].T, err) / m
        b2_grad = np.sum(err) / m
        # 배치 차원과 타임 스텝 차원을 바꿉니다.
        seq = np.swapaxes(x, 0, 1)
        k = len(seq) if self.bptt_steps is None else self.bptt_steps

        w1h_grad = w1x_grad = b1_grad = 0
        # 셀 직전까지 그래디언트를 계산합니다.
        err_to_cell = np.dot(err, self.w2.T) * (1 - self.h[-1] ** 2)
        self.grad_norms = []
        # 모든 타임 스텝을 거슬러가면서 그래디언트를 전파합니다.
        for x, h in zip(seq[::-1][:k], self.h[:-1][::-1][:k]):
            self.grad_norms.append(np.linalg.norm(err_to_cell) / m)
            w1h_grad += np.dot(h.T, err_to_cell)
            w1x_grad += self.input_grad(x, err_to_cell)
            b1_grad += np.sum(err_to_cell, axis=0)
            # 이전 타임 스텝의 셀 직전까지 그래디언트를 계산합니다.
            if self.backprop_rule == "textbook":
                err_to_cell = np.dot(err_to_cell, self.w1h) * (1 - h**2)
            else:
                err_to_cell = np.dot(err_to_cell, self.w1h.T) * (1 - h**2)

        w1h_grad /= m
        w1x_grad /= m
        b1_grad /= m
        self.grad_norms = np.array(self.grad_norms)

        return w1h_grad, w1x_grad, b1_grad, w2_grad, b2_grad

    def input_grad(self, x, err_to_cell):
        """``x_t.T @ err_to_cell``; for ids a scatter-add into the rows x_t."""
        if x.ndim == 1:
            grad = np.zeros_like(self.w1x)
            np.add.at(grad, x, err_to_cell)
            return grad
        return np.dot(x.T, err_to_cell)

    def sigmoid(self, z):
        z = np.clip(z, -100, None)  # 안전한 np.exp() 계산을 위해 (as the book's later chapters)
        a = 1 / (1 + np.exp(-z))  # 시그모이드 계산
        return a

    def fit(self, x, y, epochs=100, x_val=None, y_val=None):
        y = y.reshape(-1, 1)
        y_val = y_val.reshape(-1, 1)
        n_features = x.shape[2] if x.ndim == 3 else int(max(x.max(), x_val.max())) + 1
        self.init_weights(n_features, y.shape[1])  # 은닉층과 출력층의 가중치를 초기화합니다.
        # epochs만큼 반복합니다.
        for i in range(epochs):
            batch_losses = []
            for x_batch, y_batch in self.gen_batch(x, y):
                a = self.training(x_batch, y_batch)
                # 안전한 로그 계산을 위해 클리핑합니다.
                a = np.clip(a, 1e-10, 1 - 1e-10)
                # 로그 손실과 규제 손실을 더하여 리스트에 추가합니다.
                loss = np.mean(-(y_batch * np.log(a) + (1 - y_batch) * np.log(1 - a)))
                batch_losses.append(loss)
            self.losses.append(np.mean(batch_losses))
            # 검증 세트에 대한 손실을 계산합니다.
            self.update_val_loss(x_val, y_val)

    # 미니배치 제너레이터 함수
    def gen_batch(self, x, y):
        length = len(x)
        bins = length // self.batch_size  # 미니배치 횟수
        if length % self.batch_size:
            bins += 1  # 나누어 떨어지지 않을 때
        indexes = self.rng.permutation(np.arange(len(x)))  # 인덱스를 섞습니다.
        x = x[indexes]
        y = y[indexes]
        for i in range(bins):
            start = self.batch_size * i
            end = self.batch_size * (i + 1)
            yield x[start:end], y[start:end]  # batch_size만큼 슬라이싱하여 반환합니다.

    def training(self, x, y):
        m = len(x)  # 샘플 개수를 저장합니다.  # noqa: F841 (the source's line, kept as written)
        # 정방향 계산을 수행합니다.
        z = self.forpass(x)  # 선형 계산을 수행합니다.
        a = self.sigmoid(z)  # 활성화 함수를 적용합니다.
        err = -(y - a)  # 오차를 계산합니다.
        # 오차를 역전파하여 그래디언트를 계산합니다.
        w1h_grad, w1x_grad, b1_grad, w2_grad, b2_grad = self.backprop(x, err)
        # 셀의 가중치와 절편을 업데이트합니다.
        self.w1h -= self.lr * w1h_grad
        self.w1x -= self.lr * w1x_grad
        self.b1 -= self.lr * b1_grad
        # 출력층의 가중치와 절편을 업데이트합니다.
        self.w2 -= self.lr * w2_grad
        self.b2 -= self.lr * b2_grad
        return a

    def predict(self, x):
        z = self.forpass(x)  # 정방향 계산을 수행합니다.
        return z > 0  # 스텝 함수를 적용합니다.

    def score(self, x, y):
        # 예측과 타깃 열 벡터를 비교하여 True의 비율을 반환합니다.
        return np.mean(self.predict(x) == y.reshape(-1, 1))

    def update_val_loss(self, x_val, y_val):
        z = self.forpass(x_val)  # 정방향 계산을 수행합니다.
        a = self.sigmoid(z)  # 활성화 함수를 적용합니다.
        a = np.clip(a, 1e-10, 1 - 1e-10)  # 출력 값을 클리핑합니다.
        val_loss = np.mean(-(y_val * np.log(a) + (1 - y_val) * np.log(1 - a)))
        self.val_losses.append(val_loss)
