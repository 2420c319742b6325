package org.lazyseg.train.engine;

import java.nio.file.Path;

/**
 * @param epochs epochs finished in total (including those before a resume)
 * @param steps optimiser steps in total
 * @param bestScore best validation Dice (or minus the train loss without validation data)
 * @param bestEpoch the epoch of the best checkpoint
 * @param stoppedByBudget whether the wall-clock budget ended training early
 */
public record TrainingResult(
    Path runDir, int epochs, long steps, double bestScore, int bestEpoch,
    boolean stoppedByBudget) {}
