package org.lazyseg.train;

/**
 * state.json of a checkpoint: where training stood when its parameters were saved.
 * Adam's moment estimates are not saved (DJL keeps them inside the optimizer with no
 * export), so a resumed run restarts Adam's moments from zero; weights and batch-norm
 * statistics are restored exactly.
 */
public record CheckpointState(
    int epoch, int round, double bestScore, int bestEpoch, long steps, TrainConfig config,
    ModelSpec spec) {}
