"""The support checker as the audit and the ``support`` command use it: cache first, then judge.

The model is loaded only when something is not in the cache, so a warm re-run costs a
database read. ``model_dir`` swaps the default scorer for a local ONNX cross-encoder
(:mod:`claimgraph.support.crossencoder`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from claimgraph.support.store import JudgementStore, judgement_key
from claimgraph.support.types import Judgement, Scorer, SupportPair

if TYPE_CHECKING:
    from claimgraph.config import Config


#: from this many pairs to judge, ``jobs=0`` (auto) uses one worker process per core
AUTO_JOBS_FROM = 64


class SupportChecker:
    def __init__(
        self,
        cache_dir: Path | None = None,
        *,
        model_dir: Path | None = None,
        jobs: int = 0,
        scorer: Scorer | None = None,
    ) -> None:
        self.store = JudgementStore(cache_dir) if cache_dir is not None else None
        self.model_dir = model_dir
        #: worker processes; 0: one per core for batches of AUTO_JOBS_FROM pairs or more
        self.jobs = max(0, jobs)
        self._scorer = scorer
        self.judged = 0
        self.cached = 0

    @property
    def scorer(self) -> Scorer | None:
        """The scorer to pass on (None: the default one, which ``judge_pairs`` may fan out)."""
        if self._scorer is None and self.model_dir is not None:
            from claimgraph.support.crossencoder import CrossEncoderScorer

            self._scorer = CrossEncoderScorer(self.model_dir)
        return self._scorer

    def version(self) -> str:
        scorer = self.scorer
        if scorer is not None:
            return scorer.version
        from claimgraph.support.model import shared_model

        return shared_model().version

    def judge(self, pairs: Sequence[SupportPair]) -> list[Judgement]:
        if not pairs:
            return []
        from claimgraph.support.judge import judge_pairs  # loads numpy and the model code

        if self.store is None:
            self.judged += len(pairs)
            return judge_pairs(pairs, self.scorer, jobs=self._jobs_for(len(pairs)))
        version = self.version()
        keys = [judgement_key(p, version) for p in pairs]
        found = self.store.get_many(keys)
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            fresh = judge_pairs(
                [pairs[i] for i in missing], self.scorer, jobs=self._jobs_for(len(missing))
            )
            new = {keys[i]: j for i, j in zip(missing, fresh, strict=True)}
            self.store.put_many(new)
            found.update(new)
        self.judged += len(missing)
        self.cached += len(pairs) - len(missing)
        return [found[k] for k in keys]

    def _jobs_for(self, count: int) -> int:
        if self.jobs:
            return self.jobs
        # a worker costs a second to start: worth it for a batch, not for a handful of pairs
        # (bench_support.py, 200 pairs on 2 shared cores: 3.4 pairs/s in one process, 5.1 in two)
        return (os.cpu_count() or 1) if count >= AUTO_JOBS_FROM else 1

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


@contextmanager
def support_checker(
    config: Config, *, enabled: bool, jobs: int = 0
) -> Iterator[SupportChecker | None]:
    """The checker an audit takes (closed on exit), or None when checking is switched off
    (``enabled`` False, or ``support = false`` in the config)."""
    if not enabled or not config.support:
        yield None
        return
    checker = SupportChecker(config.cache_dir, model_dir=config.support_model, jobs=jobs)
    try:
        yield checker
    finally:
        checker.close()
