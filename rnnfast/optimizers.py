"""Update rules.  Each returns NEW weight arrays (the network swaps the whole set at once, so an
interruption never leaves half-updated weights)."""

import numpy as np


class SGD:
    """``w <- w - learning_rate * g``, the source's rule."""

    name = "sgd"

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def step(self, params, grads, squares=None):
        lr = self.learning_rate
        return {n: params[n] - lr * grads[n] for n in params}

    def commit(self):
        pass

    def state_dict(self):
        return {}

    def load_state_dict(self, state):
        pass


class Adam:
    """Adam exactly as Keras 3 computes it (so one step matches ``keras.optimizers.Adam``):

    m <- m + (g - m)(1 - beta_1);  v <- v + (g^2 - v)(1 - beta_2)
    w <- w - lr sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon)

    Two details of Keras 3 (TensorFlow backend) are kept:

    * the bias corrections ``beta^t`` use the betas rounded to float32 (Keras writes
      ``ops.cast(self.beta_1, dtype)``, and ``tf.cast`` first makes the Python float a float32
      tensor), which changes the first steps by ~6.6e-6 relative;
    * for a sparse gradient (an embedding's ``tf.IndexedSlices``) ``g^2`` is the sum over the
      token occurrences of each occurrence's squared gradient, not the square of their sum:
      ``step(..., squares={"embedding": S})`` passes it (see
      :func:`rnnfast.backends.embedding_backward`).
    """

    name = "adam"

    def __init__(self, learning_rate, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate = learning_rate
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.iterations = 0
        self.m, self.v = {}, {}

    def step(self, params, grads, squares=None):
        t = self.iterations + 1
        beta_1_t = float(np.float32(self.beta_1)) ** t
        beta_2_t = float(np.float32(self.beta_2)) ** t
        # A Python float (NEP 50: a NumPy float64 scalar would turn float32 weights float64).
        alpha = float(self.learning_rate * np.sqrt(1 - beta_2_t) / (1 - beta_1_t))
        squares = squares or {}
        new, ms, vs = {}, {}, {}
        for n, w in params.items():
            g = grads[n]
            g2 = squares[n] if n in squares else g * g
            m = self.m.get(n)
            v = self.v.get(n)
            # In place on fresh arrays (the embedding's 32,000 entries make temporaries
            # count), in Keras' order: m + (g - m)(1 - beta_1), (m alpha) / (sqrt(v) + eps).
            m_new = g - m if m is not None else np.array(g, dtype=w.dtype)
            m_new *= 1 - self.beta_1
            if m is not None:
                m_new += m
            v_new = np.subtract(g2, v) if v is not None else np.array(g2, dtype=w.dtype)
            v_new *= 1 - self.beta_2
            if v is not None:
                v_new += v
            step = m_new * alpha
            den = np.sqrt(v_new)
            den += self.epsilon
            step /= den
            new[n] = w - step
            ms[n], vs[n] = m_new, v_new
        # Commit the moments only with the weights (see RecurrentNetwork._commit).
        self._pending = (t, ms, vs)
        return new

    def commit(self):
        self.iterations, self.m, self.v = self._pending

    def state_dict(self):
        state = {"iterations": np.array(self.iterations)}
        state.update({"m_" + n: a for n, a in self.m.items()})
        state.update({"v_" + n: a for n, a in self.v.items()})
        return state

    def load_state_dict(self, state):
        self.iterations = int(state.get("iterations", 0))
        self.m = {k[2:]: np.array(a) for k, a in state.items() if k.startswith("m_")}
        self.v = {k[2:]: np.array(a) for k, a in state.items() if k.startswith("v_")}


def make_optimizer(name, learning_rate):
    return Adam(learning_rate) if name == "adam" else SGD(learning_rate)
