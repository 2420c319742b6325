package org.lazyseg.train.engine;

/**
 * One finished epoch. Validation values are NaN when there are no validation examples. Where
 * the step loop's time went (compute, waiting for data) is {@link LoopTiming}'s.
 *
 * @param epoch 1-based, counted over all rounds
 * @param round 0-based round the epoch belongs to
 * @param trainLoss mean training loss of the epoch's steps
 * @param valLoss multi-task loss on the validation images (tiled prediction)
 * @param valDice mean per-image Dice of the first head's foreground (argmax > 0)
 * @param seconds wall-clock time of the epoch, its steps and validation (the checkpoints are
 *     written after)
 * @param steps optimiser steps taken in the epoch
 */
public record EpochStats(
    int epoch, int round, double trainLoss, double valLoss, double valDice, double seconds,
    int steps) {}
