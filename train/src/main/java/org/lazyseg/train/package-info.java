/**
 * Training and tiled inference of multi-task U-Nets from lazy labels (DJL, PyTorch engine).
 *
 * <p>Train: build a {@link org.lazyseg.train.ModelSpec} (channels, one
 * {@link org.lazyseg.train.Task} per head, width, depth), pick a
 * {@link org.lazyseg.train.TrainConfig} profile, and run a
 * {@link org.lazyseg.train.engine.TrainingRun} on a run folder. Predict: open a
 * {@link org.lazyseg.train.predict.Predictor} on the same folder.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.builder().setChannels(3)
 *     .addTask(Task.of("segmentation", 2))
 *     .addTask(new Task("separation", 2, 0.5))     // alpha 0.5
 *     .optProfile("standard")                      // width 16
 *     .build();                                    // normalisation: computed from train
 * TrainConfig config = TrainConfig.profile("standard").optBudgetMinutes(12).optSeed(0)
 *     .build();
 * List<Example> train = ...;   // new Example(id, image, new LabelImage[] {mask, null})
 * TrainingResult result = new TrainingRun(runDir, spec, config)
 *     .addListener(new TrainingListener() {
 *       public void onEpochEnd(EpochStats s) { System.out.println(s); }
 *     })
 *     .run(train, validation);            // run again on runDir to resume
 *
 * try (Predictor p = Predictor.open(runDir, RunFolder.BEST).setTileSize(512)) {
 *   LabelImage labels = p.segment(image, 0);         // argmax of head 0
 *   float[][] probabilities = p.probabilities(image, 1);
 * }
 * }</pre>
 *
 * <p>Layout, lowest first: this package (model spec, config, run folder, checkpoint state),
 * {@code nn} (the networks, parameter files) and {@code data} (examples, augmentation,
 * background batch preparation), {@code loss} (objectives: masked multi-task cross-entropy and
 * others), {@code predict} (tiled inference), {@code engine} (the loop; checkpoints, metrics
 * and timing are its listeners; hooks), {@code method} (training methods). Each uses only
 * those before it (nn and data only core); docs/architecture.md draws the layers and names
 * the test that keeps them.
 */
package org.lazyseg.train;
