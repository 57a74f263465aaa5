"""Converged scikit-learn LogisticRegression fits, for memgrid's reference fixtures.

scikit-learn 1.2's own solvers stop short of the optimum on unscaled data: lbfgs on scipy's
relative-decrease test, newton-cg on its line search or max_iter (wine, digits). memgrid's
answer is the optimum of scikit-learn's objective, so the references here are too: fit with
newton-cg (tol 1e-10), then polish with Newton's method on the same objective, computed with
scikit-learn's own loss module (LinearModelLoss: sum of the losses + ||W||^2 / (2C), intercepts
unpenalised, multinomial in scikit-learn's symmetric form), an explicit Hessian and a Cholesky
solve, until Newton's decrement stops falling. Each fit records its final decrement and max
|gradient| so a fixture shows how converged it is.
"""
import warnings

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model._linear_loss import LinearModelLoss
from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss


def _loss(n_classes, fit_intercept):
    base = HalfBinomialLoss() if n_classes == 2 else HalfMultinomialLoss(n_classes=n_classes)
    return LinearModelLoss(base_loss=base, fit_intercept=fit_intercept)


def _hessian(X, coef, y_enc, n_classes, fit_intercept, l2, sw):
    """The full Hessian of scikit-learn's objective, in LinearModelLoss's coefficient layout."""
    n, d = X.shape
    Xa = np.hstack([X, np.ones((n, 1))]) if fit_intercept else X
    D = Xa.shape[1]
    if n_classes == 2:
        z = Xa @ coef
        p = 1 / (1 + np.exp(-z))
        H = Xa.T @ (Xa * (sw * p * (1 - p))[:, None])
        pen = np.full(D, l2)
        if fit_intercept:
            pen[-1] = 0
        return H + np.diag(pen)
    k = n_classes
    W = coef.reshape(k, D)  # LinearModelLoss's multinomial layout: classes by rows (order 'C' flattened)
    Z = Xa @ W.T
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z)
    P /= P.sum(axis=1, keepdims=True)
    H = np.zeros((k * D, k * D))
    for a in range(k):
        for b in range(a, k):
            w = sw * P[:, a] * ((a == b) - P[:, b])
            block = Xa.T @ (Xa * w[:, None])
            H[a * D:(a + 1) * D, b * D:(b + 1) * D] = block
            H[b * D:(b + 1) * D, a * D:(a + 1) * D] = block.T
    pen = np.full(D, l2)
    if fit_intercept:
        pen[-1] = 0
    H += np.diag(np.tile(pen, k))
    if fit_intercept:
        # The intercepts are unpenalised and softmax ignores a shift of all of them: fix the
        # gauge (their sum) as scikit-learn's zero start keeps it, with a rank-one term.
        v = np.zeros(k * D)
        v[D - 1::D] = 1
        H += np.outer(v, v) * np.mean(np.diag(H)[D - 1::D])
    return H


def converged_fit(X, y, C, fit_intercept, sample_weight=None):
    """coef_ [n_out, d], intercept_ [n_out], classes_, and the final decrement / max|grad|."""
    classes = np.unique(y)
    k = len(classes)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        start = LogisticRegression(C=C, fit_intercept=fit_intercept, solver='newton-cg', tol=1e-10,
                                   max_iter=10000).fit(X, y, sample_weight=sample_weight)
    loss = _loss(k, fit_intercept)
    if k == 2:
        y_enc = (y == classes[1]).astype(np.float64)
        coef = np.concatenate([start.coef_.ravel(), start.intercept_]) if fit_intercept else start.coef_.ravel().copy()
    else:
        y_enc = np.searchsorted(classes, y).astype(np.float64)
        W = np.hstack([start.coef_, start.intercept_[:, None]]) if fit_intercept else start.coef_.copy()
        coef = W.ravel()
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    l2 = 1.0 / C
    decrement = np.inf
    for _ in range(100):
        f, g = loss.loss_gradient(coef if k == 2 else coef.reshape(k, -1), X, y_enc, sw, l2_reg_strength=l2)
        g = np.ravel(g)
        H = _hessian(X, coef, y_enc, k, fit_intercept, l2, sw)
        step = -linalg.solve(H, g, assume_a='pos')
        new = -g @ step
        coef = coef + step
        if new >= 0.5 * decrement and new < 1e-20 * max(1.0, abs(f)):
            break  # no longer halving, at the rounding floor
        decrement = new
        if decrement < 1e-28:
            break
    f, g = loss.loss_gradient(coef if k == 2 else coef.reshape(k, -1), X, y_enc, sw, l2_reg_strength=l2)
    if k == 2:
        w, b = (coef[:-1], coef[-1:]) if fit_intercept else (coef, np.zeros(1))
        coef_, intercept_ = w[None, :], b
    else:
        W = coef.reshape(k, -1)
        coef_, intercept_ = (W[:, :-1], W[:, -1]) if fit_intercept else (W, np.zeros(k))
    return {
        'coef': coef_, 'intercept': intercept_, 'classes': classes,
        'decrement': float(np.sqrt(max(decrement, 0) / sw.sum())), 'maxGradient': float(np.abs(g).max()),
        'newtonCgIter': int(np.max(start.n_iter_)),
    }


class ConvergedLogisticRegression(ClassifierMixin, BaseEstimator):
    """LogisticRegression whose fit is converged_fit: usable in GridSearchCV, learning_curve..."""

    def __init__(self, C=1.0, fit_intercept=True):
        self.C = C
        self.fit_intercept = fit_intercept

    def fit(self, X, y, sample_weight=None):
        r = converged_fit(np.asarray(X, dtype=np.float64), np.asarray(y), self.C, self.fit_intercept, sample_weight)
        self.coef_, self.intercept_, self.classes_ = r['coef'], r['intercept'], r['classes']
        return self

    def decision_function(self, X):
        z = np.asarray(X) @ self.coef_.T + self.intercept_
        return z.ravel() if len(self.classes_) == 2 else z

    def predict_proba(self, X):
        z = self.decision_function(X)
        if len(self.classes_) == 2:
            p = 1 / (1 + np.exp(-z))
            return np.column_stack([1 - p, p])
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X):
        z = self.decision_function(X)
        idx = (z > 0).astype(int) if len(self.classes_) == 2 else z.argmax(axis=1)
        return self.classes_[idx]
