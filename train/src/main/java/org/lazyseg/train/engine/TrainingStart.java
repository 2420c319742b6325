package org.lazyseg.train.engine;

import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;

/**
 * A {@link TrainingRun} starts or resumes.
 *
 * @param folder the run folder
 * @param spec the network trained (the folder's own when it resumes), normalisation included
 * @param config how it trains
 * @param doneEpochs epochs finished before this start: 0 for a new run, else the epoch of the
 *     last checkpoint, after which training goes on
 */
public record TrainingStart(RunFolder folder, ModelSpec spec, TrainConfig config,
    int doneEpochs) {}
