"""The notes' §2.9 pseudocode, transcribed line by line in plain NumPy: the benchmark's baseline.

Per-sample gradient descent on the XOR truth table for 20 000 epochs, with the XOR preset's
initial weights (seed 0, uniform in [−0.5, 0.5], drawn in the order engine.model.random_params
draws them) and η = 0.5. After each epoch it computes the data-set loss L = (1/m) Σ ½(ŷ − y)²
with the parameters at the end of that epoch (DESIGN §6), and prints {"loss": [L0, …, LN]}.

Standalone on purpose: it imports nothing from this project, so it measures the notes' algorithm
as a student would first write it. W^(l) is stored as the notes print it (rows = inputs), so the
pseudocode's "W x" is W.T @ x here.
"""

import json
import sys

import numpy as np

EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
ETA = 0.5

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([0.0, 1.0, 1.0, 0.0])


def sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


def epoch_loss(W1, b1, W2, b2):
    total = 0.0
    for x, y in zip(X, Y):
        a1 = sigma(W1.T @ x + b1)
        yhat = sigma(W2.T @ a1 + b2)
        total += 0.5 * (yhat[0] - y) ** 2
    return total / len(X)


# 2: initialise weights and biases with small random values
rng = np.random.default_rng(0)
W1 = rng.uniform(-0.5, 0.5, (2, 2))
b1 = rng.uniform(-0.5, 0.5, 2)
W2 = rng.uniform(-0.5, 0.5, (2, 1))
b2 = rng.uniform(-0.5, 0.5, 1)

losses = [epoch_loss(W1, b1, W2, b2)]
for _epoch in range(EPOCHS):  # 3: for each epoch
    for x, y in zip(X, Y):  # 4: for each sample
        # 5: (1) forward pass
        z1 = W1.T @ x + b1
        a1 = sigma(z1)
        z2 = W2.T @ a1 + b2
        yhat = sigma(z2)
        # 6: (2) backward pass: local errors
        delta2 = (yhat - y) * yhat * (1 - yhat)
        delta1 = (W2 @ delta2) * a1 * (1 - a1)
        # 7: (3) gradients, in the layout of the weights (rows = inputs)
        dW2 = np.outer(a1, delta2)
        db2 = delta2
        dW1 = np.outer(x, delta1)
        db1 = delta1
        # 8: (4) update
        W2 = W2 - ETA * dW2
        b2 = b2 - ETA * db2
        W1 = W1 - ETA * dW1
        b1 = b1 - ETA * db1
    losses.append(epoch_loss(W1, b1, W2, b2))

json.dump({"loss": losses}, sys.stdout)
print()
