/**
 * Area under the ROC curve of binary labels and scores, as scikit-learn's roc_auc_score: the probability that a
 * random positive scores above a random negative, ties counting one half (the Mann-Whitney U statistic over
 * n_pos x n_neg, from mid-ranks). Undefined (null) unless both classes are present.
 */

/** ROC AUC; null when `labels` has no positive or no negative. Labels are 0/1 (anything > 0 is positive). */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  const n = labels.length;
  if (scores.length !== n) throw new Error(`rocAuc: ${n} labels but ${scores.length} scores`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1; // 1-based mid-rank of the tie group
    for (let k = i; k <= j; k++) {
      if (!Number.isFinite(scores[order[k]])) throw new Error(`rocAuc: score ${order[k]} is not a finite number (${scores[order[k]]})`);
      if (labels[order[k]] > 0) {
        rankSumPos += midRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
