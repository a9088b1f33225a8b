"""The plots: the five plots of a run and their grid, what they share (base, kit, legend), figures
and exports."""
