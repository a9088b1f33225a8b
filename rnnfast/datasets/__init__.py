"""Data sets for rnnfast: IMDB in Keras' format, plus a small sample shipped with the package.

``from rnnfast.datasets import imdb`` then ``imdb.load_data(...)``,
``imdb.load_data(source="sample")`` (offline, no TensorFlow), ``imdb.get_word_index()``,
``imdb.decode_review(ids)`` and ``imdb.load_textbook()`` (the source's section 6.3 flow).
Nothing here imports TensorFlow unless a download is needed.
"""

from . import imdb

__all__ = ["imdb"]
