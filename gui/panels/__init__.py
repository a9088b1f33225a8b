"""The side panel's forms and lists: the data panel, the model and training form, the fields checked
by rnnfast.hyperparams, the runs list."""
