"""Runnable examples of rnnfast.

* ``python -m rnnfast.examples.textbook``: the source's section 6.3 (IMDB, the NumPy
  ``RecurrentNetwork``), printing what the source prints, then training and scoring (S1).
* ``python -m rnnfast.examples.s1_table``: the S1 acceptance table (several seeds, both
  backprop rules, compiled vs NumPy backend, one-hot vs token ids) as Markdown.
* ``python -m rnnfast.examples.s1_shuffles``: the S1 score for fixed initial weights and the
  source's own shuffles (``np.random.seed(42)``) against other shuffle seeds.

Importing these modules has no side effects; their functions are reusable
(e.g. ``textbook.run(encoding="ids", seed=0, epochs=20)``).
"""
