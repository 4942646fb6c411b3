"""Mitra's offline speech recogniser: CMU PocketSphinx behind JSON lines.

The host (host/src/voice/speech.rs) starts this worker with the Python that
has the `pocketsphinx` wheel (5.1.1, which ships the en-us model) and keeps
it running. Each line on stdin is a request, each line on stdout its answer:

    {"id": 0, "ping": true}                        -> {"id": 0, "ok": true}
    {"id": N, "phrases": [...], "pcm": "<base64>"} -> {"id": N, "text": "birth certificate"}
                                                      {"id": N, "text": null}   (nothing heard)
                                                      {"id": N, "error": "..."}

`pcm` is little-endian 16-bit mono audio at 16 kHz. The note is decoded
against a grammar of the phrases the conversation expects at that point
(`[(i need | i want) [a | the]] ( phrase | ... ) [please]`, and a number
alone: `[number | option] ( one | two | ... )`), not as free
dictation: a handful of phrases is recognised far more reliably than
open speech. Only phrases whose every word is in the dictionary take part;
the answer is the caller's phrase as it was given, without the filler words,
or null when what was heard is not a whole sentence of the grammar.

Decoding settings, measured on espeak-ng's English speech (the 10 phrases
and 2 sentences with fillers, two voices, two speeds, with and without
silence around: 96 notes): the audio streamed in (`full_utt=False`, live
CMN) with the lattice rescoring off (`bestpath=False`) got 87 right and 9
wrong or none, ~18 ms per second of audio; `full_utt=True` got 56 right,
and the default `bestpath=True` 70 (it often ends on a path that has not
reached the grammar's end, e.g. "i want" for "one", which is then none).

A bad request gets an error line, never a crash. Logs go to stderr; stdout
carries answers only (anything a library prints there is sent to stderr).
"""

import base64
import binascii
import hashlib
import json
import os
import re
import sys
from collections import OrderedDict

# The answers' own stream; fd 1 then points at stderr so that nothing else
# printed (by Python or the C library) can break a line of the protocol.
ANSWERS = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr

SAMPLE_RATE = 16000
# Grammars kept compiled, least recently used dropped first.
GRAMMARS_KEPT = 32
LEADING = [(), ("i", "need"), ("i", "want"), ("number",), ("option",)]
# Numbers are said alone ("two", "number two"), offered without the request
# fillers; and an article only follows "i need" / "i want". Measured on
# espeak-ng's speech through a 24 kb/s voice note, against the 85 phrases of
# the municipal catalogue (18 phrasings at 3 speeds, 54 notes): the fillers
# and articles everywhere got 43 right ("number one" heard as "the telugu",
# "one" as "i want no"); this grammar 48, every "number N" among them, the
# misses a bare "one" and "back" (heard as "garbage"). The spoken lists
# therefore say "number one".
NUMBERS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split()
)
# Quiet added around a note: the streamed cepstral mean settles on it, and
# a word that starts at the note's first sample is still heard whole.
PADDING = b"\0\0" * (SAMPLE_RATE * 3 // 10)
ARTICLES = [(), ("a",), ("the",)]
TRAILING = [(), ("please",)]


def log(message):
    print("pocketsphinx worker: " + message, file=sys.stderr, flush=True)


def answer(reply):
    ANSWERS.write(json.dumps(reply, ensure_ascii=False) + "\n")
    ANSWERS.flush()


def words_of(phrase):
    """A phrase as the dictionary's words: lower case, no punctuation."""
    text = re.sub(r"[^\w']+", " ", phrase.lower().replace("_", " "))
    return tuple(w for w in (w.strip("'") for w in text.split()) if w)


class Recogniser:
    def __init__(self, decoder):
        self.decoder = decoder
        # grammar key -> (search name, {phrase's words: caller's phrase})
        self.grammars = OrderedDict()

    def grammar(self, phrases):
        """The search for `phrases`, compiled once and kept."""
        key = hashlib.sha256(json.dumps(phrases, ensure_ascii=False).encode("utf-8")).hexdigest()
        kept = self.grammars.get(key)
        if kept is not None:
            self.grammars.move_to_end(key)
            return kept
        known = {}
        for phrase in phrases:
            words = words_of(phrase)
            if words and words not in known and all(self.decoder.lookup_word(w) is not None for w in words):
                known[words] = phrase
        if not known:
            raise ValueError("none of the phrases is made of words the recogniser knows (English only)")
        numbers = [" ".join(words) for words in known if len(words) == 1 and words[0] in NUMBERS]
        requests = [" ".join(words) for words in known if not (len(words) == 1 and words[0] in NUMBERS)]
        sentences = []
        if numbers:
            sentences.append(f"[number | option] ( {' | '.join(numbers)} )")
        if requests:
            sentences.append(f"[ ( i need | i want ) [a | the] ] ( {' | '.join(requests)} ) [please]")
        text = "#JSGF V1.0;\ngrammar mitra;\npublic <s> = " + " | ".join(sentences) + ";\n"
        name = "g" + key[:16]
        self.decoder.add_jsgf_string(name, text)
        kept = (name, known)
        self.grammars[key] = kept
        while len(self.grammars) > GRAMMARS_KEPT:
            _, (old, _) = self.grammars.popitem(last=False)
            try:
                self.decoder.remove_search(old)
            except Exception as e:  # noqa: BLE001 - a search left behind only costs memory
                log(f"could not drop grammar {old}: {e}")
        return kept

    def recognise(self, phrases, pcm):
        name, known = self.grammar(phrases)
        if not pcm:
            return None
        self.decoder.activate_search(name)
        audio = PADDING + pcm + PADDING
        # Twice: the streamed cepstral mean starts from what the notes before
        # left (or, in a fresh worker, from a default that fits no one), so
        # the first pass only settles it on this note's own voice and line;
        # the second is heard. A note's words then do not depend on who spoke
        # before it (a fresh worker heard "birth certificate" as "new tap").
        for _ in range(2):
            self.decoder.start_utt()
            try:
                self.decoder.process_raw(audio, full_utt=False)
            finally:
                self.decoder.end_utt()
        hyp = self.decoder.hyp()
        if hyp is None:
            return None
        return phrase_of(tuple(hyp.hypstr.lower().split()), known)


def phrase_of(heard, known):
    """The caller's phrase in what was heard, filler words around it taken
    off; the longest phrase that fits when several do ("the end" against
    "end"). None when no phrase fits: the search ran out of audio before
    the end of the grammar and offers a partial path ("i want")."""
    best = None
    for lead in LEADING:
        for article in ARTICLES:
            before = lead + article
            for after in TRAILING:
                if len(before) + len(after) >= len(heard):
                    continue
                if heard[: len(before)] != before or heard[len(heard) - len(after) :] != after:
                    continue
                middle = heard[len(before) : len(heard) - len(after)]
                if middle in known and (best is None or len(middle) > len(best)):
                    best = middle
    return known[best] if best is not None else None


def request_of(line):
    request = json.loads(line)
    if not isinstance(request, dict):
        raise ValueError("a request is a JSON object")
    return request


def serve(recogniser, missing):
    for raw in sys.stdin.buffer:
        line = raw.strip()
        if not line:
            continue
        ident = None
        try:
            request = request_of(line)
            ident = request.get("id")
            if missing is not None:
                answer({"id": ident, "error": missing, "missing_module": True})
                continue
            if request.get("ping"):
                answer({"id": ident, "ok": True})
                continue
            phrases = request.get("phrases")
            if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                raise ValueError("phrases must be a list of strings")
            encoded = request.get("pcm")
            if not isinstance(encoded, str):
                raise ValueError("pcm must be base64 text")
            pcm = base64.b64decode(encoded, validate=True)
            if len(pcm) % 2:
                raise ValueError("pcm must be whole 16-bit samples")
            answer({"id": ident, "text": recogniser.recognise(phrases, pcm)})
        except (ValueError, binascii.Error) as e:
            answer({"id": ident, "error": str(e)})
        except Exception as e:  # noqa: BLE001 - any failure is this request's, not the worker's
            log(f"request {ident} failed: {type(e).__name__}: {e}")
            answer({"id": ident, "error": f"{type(e).__name__}: {e}"})


def main():
    missing = None
    recogniser = None
    try:
        from pocketsphinx import Decoder
    except ImportError as e:
        missing = f"pocketsphinx is not installed: {e}"
        log(missing)
    else:
        recogniser = Recogniser(Decoder(lm=None, samprate=SAMPLE_RATE, bestpath=False, loglevel="FATAL"))
    serve(recogniser, missing)


if __name__ == "__main__":
    main()
