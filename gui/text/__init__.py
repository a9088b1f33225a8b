"""The app's words: the translators (Korean, English) and what each plot teaches (the help
texts)."""
