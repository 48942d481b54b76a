"""Coreference scores: MUC (Vilain et al. 1995), B³ (Bagga and Baldwin 1998), CEAF-e (Luo 2005)
and the CoNLL F1, their mean, written from the definitions in Pradhan et al. (2014), "Scoring
coreference partitions of predicted mentions: a reference implementation". Key and response are
partitions of the same mentions (gold mentions), given as lists of clusters (sets of mention ids).
Singletons count, as in the usual ECB+ evaluation with gold mentions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

Cluster = frozenset
Partition = list[frozenset]


@dataclass(frozen=True, slots=True)
class PRF:
    recall: float
    precision: float

    @property
    def f1(self) -> float:
        total = self.recall + self.precision
        return 0.0 if total == 0 else 2 * self.recall * self.precision / total

    def as_dict(self) -> dict:
        return {"recall": round(self.recall, 4), "precision": round(self.precision, 4), "f1": round(self.f1, 4)}


def partition(labels: dict[Hashable, Hashable]) -> Partition:
    """Clusters from a mention → cluster label mapping."""
    groups: dict[Hashable, set] = {}
    for mention, label in labels.items():
        groups.setdefault(label, set()).add(mention)
    return [frozenset(g) for g in groups.values()]


def _where(clusters: Iterable[frozenset]) -> dict:
    return {m: i for i, cluster in enumerate(clusters) for m in cluster}


def _muc_side(key: Partition, response: Partition) -> float:
    """MUC recall of ``response`` against ``key`` (swap them for precision)."""
    owner = _where(response)
    found = needed = 0
    for cluster in key:
        parts = {owner.get(m, ("alone", m)) for m in cluster}
        found += len(cluster) - len(parts)
        needed += len(cluster) - 1
    return found / needed if needed else 0.0


def muc(key: Partition, response: Partition) -> PRF:
    return PRF(_muc_side(key, response), _muc_side(response, key))


def _b_cubed_side(key: Partition, response: Partition) -> float:
    owner = {m: cluster for cluster in response for m in cluster}
    mentions = sum(len(c) for c in key)
    total = 0.0
    for cluster in key:
        for mention in cluster:  # a mention the other side lacks counts nothing
            total += len(cluster & owner.get(mention, frozenset())) / len(cluster)
    return total / mentions if mentions else 0.0


def b_cubed(key: Partition, response: Partition) -> PRF:
    return PRF(_b_cubed_side(key, response), _b_cubed_side(response, key))


def ceaf_e(key: Partition, response: Partition) -> PRF:
    """Entity-based CEAF: the best one-to-one alignment of key and response clusters under
    φ4(K, R) = 2|K ∩ R| / (|K| + |R|)."""
    if not key or not response:
        return PRF(0.0, 0.0)
    similarity = [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]
    best = sum(similarity[i][j] for i, j in max_weight_matching(similarity))
    return PRF(best / len(key), best / len(response))


def conll(key: Partition, response: Partition) -> dict:
    scores = {"muc": muc(key, response), "b3": b_cubed(key, response), "ceaf_e": ceaf_e(key, response)}
    result = {name: s.as_dict() for name, s in scores.items()}
    result["conll_f1"] = round(sum(s.f1 for s in scores.values()) / 3, 4)
    return result


def max_weight_matching(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Rows matched to columns, one to one, with the largest total weight (Hungarian algorithm,
    O(n³), on the rectangular matrix padded to square). Only pairs of positive weight are
    returned. Split into connected parts first: coreference matrices are very sparse."""
    pairs = []
    for rows, cols in _components(weights):
        sub = [[weights[i][j] for j in cols] for i in rows]
        pairs += [(rows[i], cols[j]) for i, j in _hungarian(sub) if sub[i][j] > 0]
    return pairs


def _components(weights: list[list[float]]) -> list[tuple[list[int], list[int]]]:
    """Groups of rows and columns joined by positive weights."""
    parent = {}

    def find(x):  # noqa: ANN001, ANN202
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, row in enumerate(weights):
        for j, weight in enumerate(row):
            if weight > 0:
                parent[find(("r", i))] = find(("c", j))
    groups: dict = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    return [(sorted(i for side, i in nodes if side == "r"), sorted(j for side, j in nodes if side == "c"))
            for nodes in groups.values()]


def _hungarian(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Kuhn–Munkres with potentials (the shortest augmenting path form), maximising."""
    rows, cols = len(weights), len(weights[0])
    size = max(rows, cols)
    cost = [[-(weights[i][j] if i < rows and j < cols else 0.0) for j in range(size)] for i in range(size)]
    inf = float("inf")
    u, v = [0.0] * (size + 1), [0.0] * (size + 1)
    match, way = [0] * (size + 1), [0] * (size + 1)  # match[column] = row, 1-based; 0 = free
    for row in range(1, size + 1):
        match[0], column = row, 0
        least, used = [inf] * (size + 1), [False] * (size + 1)
        while match[column]:
            used[column] = True
            current, delta, nxt = match[column], inf, 0
            for j in range(1, size + 1):
                if not used[j]:
                    reduced = cost[current - 1][j - 1] - u[current] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, column
                    if least[j] < delta:
                        delta, nxt = least[j], j
            for j in range(size + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            column = nxt
        while column:
            previous = way[column]
            match[column] = match[previous]
            column = previous
    return [(match[j] - 1, j - 1) for j in range(1, size + 1) if match[j] and match[j] - 1 < rows and j - 1 < cols]
