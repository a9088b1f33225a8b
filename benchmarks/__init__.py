"""rnnfast benchmarks: ``python -m benchmarks`` (see benchmarks/README.md).

The compiled kernels against the pure-NumPy reference (and Keras / PyTorch where installed)
on the source's workload (W1), the embedding model (W2, when rnnfast has it) and scaling
sweeps, measured side by side in one run, with peak memory and the FLOP bound of this machine.
"""
