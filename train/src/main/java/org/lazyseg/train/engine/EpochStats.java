package org.lazyseg.train.engine;

/**
 * One finished epoch. Validation values are NaN when there are no validation examples.
 *
 * @param epoch 1-based, counted over all rounds
 * @param round 0-based round the epoch belongs to
 * @param trainLoss mean training loss of the epoch's steps
 * @param valLoss multi-task loss on the validation images (tiled prediction)
 * @param valDice mean per-image Dice of the first head's foreground (argmax > 0)
 * @param seconds wall-clock time of the epoch, validation included
 * @param steps optimiser steps taken in the epoch
 * @param loopSeconds wall time of the epoch's step loop (the epoch without validation and
 *     checkpoints)
 * @param stepSeconds time inside the training steps (forward, backward, update)
 * @param waitSeconds time the loop waited for a batch: data loading and augmentation that
 *     did not overlap compute
 */
public record EpochStats(
    int epoch, int round, double trainLoss, double valLoss, double valDice, double seconds,
    int steps, double loopSeconds, double stepSeconds, double waitSeconds) {}
