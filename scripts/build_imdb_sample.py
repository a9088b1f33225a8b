"""Build the IMDB sample shipped inside rnnfast (rnnfast/datasets/data/) from the full file.

    python scripts/build_imdb_sample.py [--data ../shared/data/imdb.npz]
        [--word-index ../shared/data/imdb_word_index.json] [--out rnnfast/datasets/data]

What the sample holds (also in ``rnnfast.datasets.imdb.SAMPLE_DESCRIPTION``):

- per split (train, test) 5,000 reviews: the first 2,500 negative and the first 2,500
  positive reviews in the full file's stored order, kept in that order (so they stay mixed);
- the same raw format as the full file: raw frequency ranks, no start character, no
  ``index_from`` offset, so ``load_data(source="sample", ...)`` applies Keras' steps to it
  exactly as to the full file;
- only ranks 1..996 (``SAMPLE_MAX_RANK``): after Keras' ``index_from=3`` every id is < 1000,
  the vocabulary of the source's Embedding(1000, 32) model. Rarer words are *removed* from
  the reviews (the full file has no OOV marker in its raw format); with ``num_words <= 1000``
  Keras would turn them into OOV id 2, which the source's flow drops anyway;
- each review cut to its last 200 of those words (``SAMPLE_MAX_LEN``): Keras' pre-truncation
  keeps the end of a review, so the source's ``pad_sequences(maxlen=100)`` sees the same end;
- ``train_index`` / ``test_index``: where each review sits in the full file (provenance).

Storage, all plain arrays (no pickle): ``x_<split>_tokens`` int16 (all reviews
concatenated), ``x_<split>_offsets`` int64 (n + 1,) row starts, ``y_<split>`` int8 labels.
The zip entries get a fixed timestamp so that rebuilding gives identical bytes.

The word index ``imdb_sample_word_index.json`` holds the 996 words of ranks 1..996, with
their ranks from the full index.
"""

import argparse
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rnnfast.datasets import imdb  # noqa: E402  (needs the repo on sys.path)
from rnnfast.preprocessing import (  # noqa: E402
    _filter_tokens,
    _offsets,
    _positions_in_rows,
    _ragged_from_sequences,
)

SHARED = REPO.parent / "shared" / "data"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed entry timestamp: reproducible bytes


def balanced_index(labels, per_class):
    """First ``per_class`` reviews of each label, in stored order: (2 * per_class,) int."""
    chosen = []
    for label in (0, 1):
        where = np.flatnonzero(labels == label)
        if len(where) < per_class:
            raise SystemExit(f"only {len(where)} reviews with label {label}, need {per_class}")
        chosen.append(where[:per_class])
    return np.sort(np.concatenate(chosen))


def shrink(tokens, lengths, max_rank, max_len):
    """Drop ranks > max_rank, then keep the last max_len tokens of each review."""
    tokens, lengths = _filter_tokens(tokens, lengths, tokens <= max_rank)
    _, positions = _positions_in_rows(lengths)
    keep = positions >= np.repeat(lengths - np.minimum(lengths, max_len), lengths)
    return _filter_tokens(tokens, lengths, keep)


def sample_split(raw, per_split, max_rank, max_len):
    """Arrays of one split of the sample, keyed as in the .npz file."""
    index = balanced_index(raw.labels, per_split // 2)
    tokens, lengths = _ragged_from_sequences(raw.objects[index], name=raw.name)
    tokens, lengths = shrink(tokens, lengths, max_rank, max_len)
    split = raw.name[len("x_") :]
    return {
        f"x_{split}_tokens": tokens.astype(np.int16),
        f"x_{split}_offsets": _offsets(lengths),
        f"y_{split}": raw.labels[index].astype(np.int8),
        f"{split}_index": index.astype(np.int32),
    }


def write_npz(path, arrays):
    """Like np.savez_compressed, but with fixed zip timestamps."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buffer.getvalue(), compresslevel=9)


def write_word_index(path, word_index, max_rank):
    """One ``"word": rank`` per line, by rank (readable diffs), ASCII-escaped like Keras'."""
    kept = sorted((rank, word) for word, rank in word_index.items() if rank <= max_rank)
    if [rank for rank, _ in kept] != list(range(1, max_rank + 1)):
        raise SystemExit(f"the word index does not have exactly the ranks 1..{max_rank}")
    lines = [f"  {json.dumps(word)}: {rank}" for rank, word in kept]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="ascii")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "imdb.npz")
    parser.add_argument("--word-index", type=Path, default=SHARED / "imdb_word_index.json")
    parser.add_argument("--out", type=Path, default=imdb.SAMPLE_PATH.parent)
    args = parser.parse_args(argv)

    train, test = imdb._read_imdb_file(args.data)
    arrays = {}
    for raw in (train, test):
        arrays.update(
            sample_split(
                raw, imdb.SAMPLE_REVIEWS_PER_SPLIT, imdb.SAMPLE_MAX_RANK, imdb.SAMPLE_MAX_LEN
            )
        )
    arrays["description"] = np.array(imdb.SAMPLE_DESCRIPTION)
    arrays["max_rank"] = np.array(imdb.SAMPLE_MAX_RANK, dtype=np.int64)
    arrays["max_len"] = np.array(imdb.SAMPLE_MAX_LEN, dtype=np.int64)
    arrays["source_sha256"] = np.array(hashlib.sha256(args.data.read_bytes()).hexdigest())

    args.out.mkdir(parents=True, exist_ok=True)
    npz_path = args.out / imdb.SAMPLE_PATH.name
    json_path = args.out / imdb.SAMPLE_WORD_INDEX_PATH.name
    write_npz(npz_path, arrays)
    write_word_index(json_path, imdb._read_word_index(args.word_index), imdb.SAMPLE_MAX_RANK)

    for split in ("train", "test"):
        lengths = np.diff(arrays[f"x_{split}_offsets"])
        print(
            f"{split}: {len(lengths)} reviews, {int(lengths.sum())} tokens, "
            f"length min/mean/max {lengths.min()}/{lengths.mean():.1f}/{lengths.max()}, "
            f"{int(arrays[f'y_{split}'].sum())} positive"
        )
    print(f"{npz_path}: {npz_path.stat().st_size:,} bytes")
    print(f"{json_path}: {json_path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
