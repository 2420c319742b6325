package org.lazyseg.train.engine;

import ai.djl.nn.Block;
import org.lazyseg.train.CheckpointState;

/**
 * The end of an epoch, as {@link TrainingRun} hands it to its listeners.
 *
 * @param stats the epoch's numbers
 * @param state where training stands: what the epoch's checkpoints record in state.json
 * @param best whether the epoch scored the best so far (its checkpoint is then also "best")
 * @param network the network being trained, with the epoch's parameters; listeners may save
 *     it but must not change it
 */
public record EpochEnd(EpochStats stats, CheckpointState state, boolean best, Block network) {}
