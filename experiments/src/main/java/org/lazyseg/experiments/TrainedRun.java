package org.lazyseg.experiments;

import java.nio.file.Path;

/** A run folder with what made it and what it recorded when it finished. */
public record TrainedRun(Path dir, RunSpec spec, RunOutcome outcome) {}
